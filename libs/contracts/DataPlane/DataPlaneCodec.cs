namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// Encodes and decodes the payloads published on Redis channels. Every payload starts with its
/// <see cref="PayloadKind"/> and a format version; a reader rejects versions it does not know,
/// so a rolling upgrade that changes a layout must add a version, not edit one. After those two
/// bytes each payload is its fields in the order its encoder writes them and its decoder reads
/// them (<see cref="PayloadWriter"/>, <see cref="PayloadReader"/>). The membership event, which
/// presence's Lua scripts write, is in <c>DataPlaneCodec.Membership.cs</c> with its Lua encoder.
/// </summary>
public static partial class DataPlaneCodec
{
    private const byte Version = 1;

    private delegate void FieldWriter<T>(ref PayloadWriter writer, T value);

    private delegate T FieldReader<T>(ref PayloadReader reader);

    public static PayloadKind PeekKind(ReadOnlySpan<byte> payload) =>
        payload.Length >= 2 ? (PayloadKind)payload[0] : throw new FormatException("Empty data-plane payload.");

    /// <summary>A gateway's message for the router that owns its shard.</summary>
    public static byte[] Encode(InboundMessage message) => Write(PayloadKind.Inbound, message, static (ref writer, message) =>
    {
        WriteStamp(ref writer, message.MessageId, message.Timestamp);
        writer.WriteString(message.GatewayId);
        writer.WriteString(message.ConnectionId);
        writer.WriteString(message.UserId);
        WriteContent(ref writer, message.Target, message.TraceParent, message.Body);
    });

    public static InboundMessage DecodeInbound(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Inbound, static (ref reader) =>
        new InboundMessage(
            MessageId: reader.ReadString(),
            Timestamp: reader.ReadInt64(),
            GatewayId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            UserId: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString(),
            Body: reader.ReadBytes()));

    /// <summary>A router's message for a gateway holding recipients.</summary>
    public static byte[] Encode(Delivery delivery) => Write(PayloadKind.Delivery, delivery, static (ref writer, delivery) =>
    {
        WriteStamp(ref writer, delivery.MessageId, delivery.Timestamp);
        writer.WriteString(delivery.FromUser);
        writer.WriteString(delivery.FromConnection);
        WriteContent(ref writer, delivery.Target, delivery.TraceParent, delivery.Body);
    });

    public static Delivery DecodeDelivery(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Delivery, static (ref reader) =>
        new Delivery(
            MessageId: reader.ReadString(),
            Timestamp: reader.ReadInt64(),
            FromUser: reader.ReadString(),
            FromConnection: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString(),
            Body: reader.ReadBytes()));

    public static byte[] Encode(SendOutcome outcome)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outcome.Recipients);
        return Write(PayloadKind.Outcome, outcome, static (ref writer, outcome) =>
        {
            writer.WriteString(outcome.MessageId);
            writer.WriteString(outcome.ConnectionId);
            writer.WriteByte((byte)outcome.Status);
            writer.WriteVarint((uint)outcome.Recipients);
        });
    }

    public static SendOutcome DecodeOutcome(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Outcome, static (ref reader) =>
        new SendOutcome(
            MessageId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            Status: ReadEnum<SendStatus>(reader.ReadByte()),
            Recipients: ReadCount(ref reader)));

    public static byte[] Encode(PresenceQuery query) => Write(PayloadKind.PresenceQuery, query, static (ref writer, query) =>
    {
        writer.WriteString(query.QueryId);
        writer.WriteString(query.GatewayId);
        writer.WriteString(query.ConnectionId);
        WriteTarget(ref writer, query.Target);
        writer.WriteNullableString(query.TraceParent);
    });

    public static PresenceQuery DecodePresenceQuery(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.PresenceQuery, static (ref reader) =>
        new PresenceQuery(
            QueryId: reader.ReadString(),
            GatewayId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString()));

    public static byte[] Encode(PresenceAnswer answer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(answer.Connections);
        return Write(PayloadKind.PresenceAnswer, answer, static (ref writer, answer) =>
        {
            writer.WriteString(answer.QueryId);
            writer.WriteString(answer.ConnectionId);
            writer.WriteVarint((uint)answer.Connections);
            writer.WriteVarint((uint)answer.Users.Count);
            foreach (var user in answer.Users)
            {
                writer.WriteString(user);
            }
        });
    }

    public static PresenceAnswer DecodePresenceAnswer(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.PresenceAnswer, static (ref reader) =>
    {
        var queryId = reader.ReadString();
        var connectionId = reader.ReadString();
        var connections = ReadCount(ref reader);
        var count = ReadCount(ref reader);

        // Each user takes at least one byte, so a count beyond the payload is a lie, not a size to allocate.
        var users = new string[count <= reader.Remaining ? count : throw new FormatException("User count exceeds the data-plane payload.")];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = reader.ReadString();
        }

        return new PresenceAnswer(queryId, connectionId, connections, users);
    });

    /// <summary>Writes the payload's kind and version, then its fields: measured first, so the array is exactly its size.</summary>
    private static byte[] Write<T>(PayloadKind kind, T value, FieldWriter<T> fields)
    {
        var measure = PayloadWriter.Measuring();
        fields(ref measure, value);
        var payload = new byte[2 + measure.Position];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)kind);
        writer.WriteByte(Version);
        fields(ref writer, value);
        return payload;
    }

    /// <summary>Checks the payload's kind and version, reads its fields, and checks nothing is left over.</summary>
    private static T Read<T>(ReadOnlyMemory<byte> payload, PayloadKind expected, FieldReader<T> fields)
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

        var value = fields(ref reader);
        if (!reader.AtEnd)
        {
            throw new FormatException("Trailing bytes after data-plane payload.");
        }

        return value;
    }

    /// <summary>A message's id and timestamp, which every message payload starts with.</summary>
    private static void WriteStamp(ref PayloadWriter writer, string messageId, long timestamp)
    {
        writer.WriteString(messageId);
        writer.WriteInt64(timestamp);
    }

    /// <summary>A message's target, trace parent and body, which every message payload ends with.</summary>
    private static void WriteContent(ref PayloadWriter writer, MessageTarget target, string? traceParent, ReadOnlyMemory<byte> body)
    {
        WriteTarget(ref writer, target);
        writer.WriteNullableString(traceParent);
        writer.WriteBytes(body.Span);
    }

    private static void WriteTarget(ref PayloadWriter writer, MessageTarget target)
    {
        writer.WriteByte((byte)target.Kind);
        writer.WriteString(target.Value);
    }

    private static MessageTarget ReadTarget(ref PayloadReader reader) =>
        new(ReadEnum<TargetKind>(reader.ReadByte()), reader.ReadString());

    private static int ReadCount(ref PayloadReader reader)
    {
        var value = reader.ReadVarint();
        return value <= int.MaxValue ? (int)value : throw new FormatException($"Count {value} out of range in data-plane payload.");
    }

    private static T ReadEnum<T>(byte value) where T : struct, Enum
    {
        var result = (T)Enum.ToObject(typeof(T), value);
        return Enum.IsDefined(result) ? result : throw new FormatException($"Unknown {typeof(T).Name} {value} in data-plane payload.");
    }
}
