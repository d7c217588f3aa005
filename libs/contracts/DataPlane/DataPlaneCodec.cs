namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// Encodes and decodes the payloads published on Redis channels. Every payload starts with its
/// <see cref="PayloadKind"/> and a format version; a reader rejects versions it does not know,
/// so a rolling upgrade that changes a layout must add a version, not edit one. The membership
/// event, which presence's Lua scripts write, is in <c>DataPlaneCodec.Membership.cs</c> with its
/// Lua encoder.
/// </summary>
public static partial class DataPlaneCodec
{
    private const byte Version = 1;

    public static PayloadKind PeekKind(ReadOnlySpan<byte> payload) =>
        payload.Length >= 2 ? (PayloadKind)payload[0] : throw new FormatException("Empty data-plane payload.");

    public static byte[] Encode(InboundMessage message)
    {
        var size = 2
            + PayloadWriter.SizeOf(message.MessageId)
            + sizeof(long)
            + PayloadWriter.SizeOf(message.GatewayId)
            + PayloadWriter.SizeOf(message.ConnectionId)
            + PayloadWriter.SizeOf(message.UserId)
            + SizeOf(message.Target)
            + PayloadWriter.SizeOfNullable(message.TraceParent)
            + PayloadWriter.SizeOf(message.Body.Span);
        var payload = new byte[size];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)PayloadKind.Inbound);
        writer.WriteByte(Version);
        writer.WriteString(message.MessageId);
        writer.WriteInt64(message.Timestamp);
        writer.WriteString(message.GatewayId);
        writer.WriteString(message.ConnectionId);
        writer.WriteString(message.UserId);
        Write(ref writer, message.Target);
        writer.WriteNullableString(message.TraceParent);
        writer.WriteBytes(message.Body.Span);
        return payload;
    }

    public static InboundMessage DecodeInbound(ReadOnlyMemory<byte> payload)
    {
        var reader = Open(payload, PayloadKind.Inbound);
        var message = new InboundMessage(
            MessageId: reader.ReadString(),
            Timestamp: reader.ReadInt64(),
            GatewayId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            UserId: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString(),
            Body: reader.ReadBytes());
        Close(reader);
        return message;
    }

    public static byte[] Encode(Delivery delivery)
    {
        var size = 2
            + PayloadWriter.SizeOf(delivery.MessageId)
            + sizeof(long)
            + PayloadWriter.SizeOf(delivery.FromUser)
            + PayloadWriter.SizeOf(delivery.FromConnection)
            + SizeOf(delivery.Target)
            + PayloadWriter.SizeOfNullable(delivery.TraceParent)
            + PayloadWriter.SizeOf(delivery.Body.Span);
        var payload = new byte[size];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)PayloadKind.Delivery);
        writer.WriteByte(Version);
        writer.WriteString(delivery.MessageId);
        writer.WriteInt64(delivery.Timestamp);
        writer.WriteString(delivery.FromUser);
        writer.WriteString(delivery.FromConnection);
        Write(ref writer, delivery.Target);
        writer.WriteNullableString(delivery.TraceParent);
        writer.WriteBytes(delivery.Body.Span);
        return payload;
    }

    public static Delivery DecodeDelivery(ReadOnlyMemory<byte> payload)
    {
        var reader = Open(payload, PayloadKind.Delivery);
        var delivery = new Delivery(
            MessageId: reader.ReadString(),
            Timestamp: reader.ReadInt64(),
            FromUser: reader.ReadString(),
            FromConnection: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString(),
            Body: reader.ReadBytes());
        Close(reader);
        return delivery;
    }

    public static byte[] Encode(SendOutcome outcome)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outcome.Recipients);
        var size = 2
            + PayloadWriter.SizeOf(outcome.MessageId)
            + PayloadWriter.SizeOf(outcome.ConnectionId)
            + 1
            + PayloadWriter.SizeOfVarint((uint)outcome.Recipients);
        var payload = new byte[size];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)PayloadKind.Outcome);
        writer.WriteByte(Version);
        writer.WriteString(outcome.MessageId);
        writer.WriteString(outcome.ConnectionId);
        writer.WriteByte((byte)outcome.Status);
        writer.WriteVarint((uint)outcome.Recipients);
        return payload;
    }

    public static SendOutcome DecodeOutcome(ReadOnlyMemory<byte> payload)
    {
        var reader = Open(payload, PayloadKind.Outcome);
        var outcome = new SendOutcome(
            MessageId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            Status: ReadEnum<SendStatus>(reader.ReadByte()),
            Recipients: ReadCount(ref reader));
        Close(reader);
        return outcome;
    }

    private static int ReadCount(ref PayloadReader reader)
    {
        var value = reader.ReadVarint();
        return value <= int.MaxValue ? (int)value : throw new FormatException($"Count {value} out of range in data-plane payload.");
    }

    public static byte[] Encode(PresenceQuery query)
    {
        var size = 2
            + PayloadWriter.SizeOf(query.QueryId)
            + PayloadWriter.SizeOf(query.GatewayId)
            + PayloadWriter.SizeOf(query.ConnectionId)
            + SizeOf(query.Target)
            + PayloadWriter.SizeOfNullable(query.TraceParent);
        var payload = new byte[size];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)PayloadKind.PresenceQuery);
        writer.WriteByte(Version);
        writer.WriteString(query.QueryId);
        writer.WriteString(query.GatewayId);
        writer.WriteString(query.ConnectionId);
        Write(ref writer, query.Target);
        writer.WriteNullableString(query.TraceParent);
        return payload;
    }

    public static PresenceQuery DecodePresenceQuery(ReadOnlyMemory<byte> payload)
    {
        var reader = Open(payload, PayloadKind.PresenceQuery);
        var query = new PresenceQuery(
            QueryId: reader.ReadString(),
            GatewayId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString());
        Close(reader);
        return query;
    }

    public static byte[] Encode(PresenceAnswer answer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(answer.Connections);
        var size = 2
            + PayloadWriter.SizeOf(answer.QueryId)
            + PayloadWriter.SizeOf(answer.ConnectionId)
            + PayloadWriter.SizeOfVarint((uint)answer.Connections)
            + PayloadWriter.SizeOfVarint((uint)answer.Users.Count);
        foreach (var user in answer.Users)
        {
            size += PayloadWriter.SizeOf(user);
        }

        var payload = new byte[size];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)PayloadKind.PresenceAnswer);
        writer.WriteByte(Version);
        writer.WriteString(answer.QueryId);
        writer.WriteString(answer.ConnectionId);
        writer.WriteVarint((uint)answer.Connections);
        writer.WriteVarint((uint)answer.Users.Count);
        foreach (var user in answer.Users)
        {
            writer.WriteString(user);
        }

        return payload;
    }

    public static PresenceAnswer DecodePresenceAnswer(ReadOnlyMemory<byte> payload)
    {
        var reader = Open(payload, PayloadKind.PresenceAnswer);
        var queryId = reader.ReadString();
        var connectionId = reader.ReadString();
        var connections = ReadCount(ref reader);
        var count = ReadCount(ref reader);

        // Each user takes at least one byte, so a count beyond the payload is a lie, not a size to allocate.
        var users = new string[count <= payload.Length ? count : throw new FormatException("User count exceeds the data-plane payload.")];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = reader.ReadString();
        }

        Close(reader);
        return new PresenceAnswer(queryId, connectionId, connections, users);
    }

    private static int SizeOf(MessageTarget target) => 1 + PayloadWriter.SizeOf(target.Value);

    private static void Write(ref PayloadWriter writer, MessageTarget target)
    {
        writer.WriteByte((byte)target.Kind);
        writer.WriteString(target.Value);
    }

    private static MessageTarget ReadTarget(ref PayloadReader reader) =>
        new(ReadEnum<TargetKind>(reader.ReadByte()), reader.ReadString());

    private static T ReadEnum<T>(byte value) where T : struct, Enum
    {
        var result = (T)Enum.ToObject(typeof(T), value);
        return Enum.IsDefined(result) ? result : throw new FormatException($"Unknown {typeof(T).Name} {value} in data-plane payload.");
    }

    private static PayloadReader Open(ReadOnlyMemory<byte> payload, PayloadKind expected)
    {
        var reader = new PayloadReader(payload);
        var kind = (PayloadKind)reader.ReadByte();
        if (kind != expected)
        {
            throw new FormatException($"Expected a {expected} payload, got kind {(byte)kind}.");
        }

        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new FormatException($"Unsupported {expected} payload version {version}.");
        }

        return reader;
    }

    private static void Close(PayloadReader reader)
    {
        if (!reader.AtEnd)
        {
            throw new FormatException("Trailing bytes after data-plane payload.");
        }
    }
}
