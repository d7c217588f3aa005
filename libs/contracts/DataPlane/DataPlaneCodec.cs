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

    /// <summary>Version 2 of a delivery adds its stream position; version 1 (no position) is still read.</summary>
    private const byte DeliveryVersion = 2;

    /// <summary>Version 3 of a delivery adds a system sender, after the connection; written only for messages from the server API, so that gateways too old to show one drop them rather than show a user.</summary>
    private const byte SystemDeliveryVersion = 3;

    /// <summary>Version 2 of an inbound message adds a system sender at its end; written only for messages from the server API.</summary>
    private const byte SystemInboundVersion = 2;

    /// <summary>Version 2 of an outcome adds whether the message was stored; version 1 is still read.</summary>
    private const byte OutcomeVersion = 2;

    private delegate void FieldWriter<T>(ref PayloadWriter writer, T value);

    private delegate T FieldReader<T>(ref PayloadReader reader);

    private delegate T VersionedFieldReader<T>(ref PayloadReader reader, byte version);

    public static PayloadKind PeekKind(ReadOnlySpan<byte> payload) =>
        payload.Length >= 2 ? (PayloadKind)payload[0] : throw new FormatException("Empty data-plane payload.");

    /// <summary>A gateway's message for the router that owns its shard.</summary>
    public static byte[] Encode(InboundMessage message) =>
        Write(PayloadKind.Inbound, message.FromSystem is null ? Version : SystemInboundVersion, message, static (ref writer, message) =>
        {
            WriteStamp(ref writer, message.MessageId, message.Timestamp);
            writer.WriteString(message.GatewayId);
            writer.WriteString(message.ConnectionId);
            writer.WriteString(message.UserId);
            WriteContent(ref writer, message.Target, message.TraceParent, message.Body);
            if (message.FromSystem is { } system)
            {
                writer.WriteString(system);
            }
        });

    public static InboundMessage DecodeInbound(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Inbound, Version, SystemInboundVersion, static (ref reader, version) =>
    {
        var message = new InboundMessage(
            MessageId: reader.ReadString(),
            Timestamp: reader.ReadInt64(),
            GatewayId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            UserId: reader.ReadString(),
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString(),
            Body: reader.ReadBytes());
        return version == Version ? message : message with { FromSystem = ReadSystem(ref reader) };
    });

    /// <summary>
    /// A router's message for a gateway holding recipients; also what a history stream stores.
    /// Its stream position comes last: stream, epoch and offset, empty and 0 when not stored.
    /// </summary>
    public static byte[] Encode(Delivery delivery) => Write(PayloadKind.Delivery, DeliveryVersionOf(delivery), delivery, static (ref writer, delivery) =>
    {
        WriteDeliveryFields(ref writer, delivery);
        writer.WriteString(delivery.Position?.Stream ?? "");
        writer.WriteString(delivery.Position?.Epoch ?? "");
        writer.WriteVarint64((ulong)(delivery.Position?.Offset ?? 0));
    });

    /// <summary>
    /// A delivery to be stored in <paramref name="stream"/>, up to and including the stream's
    /// name: the router's append script ends it with the epoch and offset it assigns
    /// (<see cref="StoredDeliveryLuaEncoder"/>), so the result is <see cref="Encode(Delivery)"/>'s.
    /// </summary>
    public static byte[] EncodeStoredPrefix(Delivery delivery, string stream) => Write(PayloadKind.Delivery, DeliveryVersionOf(delivery), (delivery, stream), static (ref writer, value) =>
    {
        WriteDeliveryFields(ref writer, value.delivery);
        writer.WriteString(value.stream);
    });

    /// <summary>
    /// Lua that ends what <see cref="EncodeStoredPrefix"/> began:
    /// <c>stored_delivery(prefix, epoch, offset)</c>, for the router's append script to
    /// concatenate in front of its own code. A golden test runs it in Redis against
    /// <see cref="Encode(Delivery)"/>'s bytes.
    /// </summary>
    public static readonly string StoredDeliveryLuaEncoder = LuaPrimitives + """
        local function stored_delivery(prefix, epoch, offset)
          return prefix .. payload_string(epoch) .. payload_varint(offset)
        end

        """;

    public static Delivery DecodeDelivery(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Delivery, Version, SystemDeliveryVersion, static (ref reader, version) =>
    {
        var messageId = reader.ReadString();
        var timestamp = reader.ReadInt64();
        var fromUser = reader.ReadString();
        var fromConnection = reader.ReadString();
        var delivery = new Delivery(
            MessageId: messageId,
            Timestamp: timestamp,
            FromUser: fromUser,
            FromConnection: fromConnection,
            FromSystem: version == SystemDeliveryVersion ? ReadSystem(ref reader) : null,
            Target: ReadTarget(ref reader),
            TraceParent: reader.ReadNullableString(),
            Body: reader.ReadBytes());
        if (version == Version)
        {
            return delivery;
        }

        var stream = reader.ReadString();
        var epoch = reader.ReadString();
        var offset = reader.ReadVarint64();
        return stream.Length == 0 ? delivery : delivery with
        {
            Position = new HistoryPosition(stream, epoch, offset <= long.MaxValue ? (long)offset : throw new FormatException("Offset out of range in data-plane payload.")),
        };
    });

    private static void WriteDeliveryFields(ref PayloadWriter writer, Delivery delivery)
    {
        WriteStamp(ref writer, delivery.MessageId, delivery.Timestamp);
        writer.WriteString(delivery.FromUser);
        writer.WriteString(delivery.FromConnection);
        if (delivery.FromSystem is { } system)
        {
            writer.WriteString(system);
        }

        WriteContent(ref writer, delivery.Target, delivery.TraceParent, delivery.Body);
    }

    private static byte DeliveryVersionOf(Delivery delivery) => delivery.FromSystem is null ? DeliveryVersion : SystemDeliveryVersion;

    private static string ReadSystem(ref PayloadReader reader)
    {
        var system = reader.ReadString();
        return system.Length > 0 ? system : throw new FormatException("Empty system sender in data-plane payload.");
    }

    public static byte[] Encode(SendOutcome outcome)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outcome.Recipients);
        return Write(PayloadKind.Outcome, OutcomeVersion, outcome, static (ref writer, outcome) =>
        {
            writer.WriteString(outcome.MessageId);
            writer.WriteString(outcome.ConnectionId);
            writer.WriteByte((byte)outcome.Status);
            writer.WriteVarint((uint)outcome.Recipients);
            writer.WriteByte(outcome.Stored ? (byte)1 : (byte)0);
        });
    }

    public static SendOutcome DecodeOutcome(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Outcome, Version, OutcomeVersion, static (ref reader, version) =>
        new SendOutcome(
            MessageId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            Status: ReadEnum<SendStatus>(reader.ReadByte()),
            Recipients: ReadCount(ref reader),
            Stored: version > Version && reader.ReadByte() switch
            {
                0 => false,
                1 => true,
                var other => throw new FormatException($"Invalid stored flag {other} in data-plane payload."),
            }));

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

    /// <summary>A backend's moderation: on the API key's inbound shard, then the same bytes on each gateway holding the target.</summary>
    public static byte[] Encode(ModerationCommand command) => Write(PayloadKind.Moderation, command, static (ref writer, command) =>
    {
        writer.WriteString(command.CommandId);
        writer.WriteString(command.GatewayId);
        writer.WriteString(command.ConnectionId);
        WriteTarget(ref writer, command.Target);
        writer.WriteByte((byte)command.Action);
        writer.WriteString(command.Room);
        writer.WriteString(command.Reason);
        writer.WriteNullableString(command.TraceParent);
    });

    public static ModerationCommand DecodeModeration(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Moderation, static (ref reader) =>
        new ModerationCommand(
            CommandId: reader.ReadString(),
            GatewayId: reader.ReadString(),
            ConnectionId: reader.ReadString(),
            Target: ReadTarget(ref reader),
            Action: ReadEnum<ModerationAction>(reader.ReadByte()),
            Room: reader.ReadString(),
            Reason: reader.ReadString(),
            TraceParent: reader.ReadNullableString()));

    private static byte[] Write<T>(PayloadKind kind, T value, FieldWriter<T> fields) => Write(kind, Version, value, fields);

    /// <summary>Writes the payload's kind and version, then its fields: measured first, so the array is exactly its size.</summary>
    private static byte[] Write<T>(PayloadKind kind, byte version, T value, FieldWriter<T> fields)
    {
        var measure = PayloadWriter.Measuring();
        fields(ref measure, value);
        var payload = new byte[2 + measure.Position];
        var writer = new PayloadWriter(payload);
        writer.WriteByte((byte)kind);
        writer.WriteByte(version);
        fields(ref writer, value);
        return payload;
    }

    private static T Read<T>(ReadOnlyMemory<byte> payload, PayloadKind expected, FieldReader<T> fields) =>
        Read(payload, expected, Version, Version, (ref reader, _) => fields(ref reader));

    /// <summary>Checks the payload's kind and version, reads its fields, and checks nothing is left over.</summary>
    private static T Read<T>(ReadOnlyMemory<byte> payload, PayloadKind expected, byte oldest, byte newest, VersionedFieldReader<T> fields)
    {
        var reader = new PayloadReader(payload);
        var kind = (PayloadKind)reader.ReadByte();
        if (kind != expected)
        {
            throw new FormatException($"Expected a {expected} payload, got kind {(byte)kind}.");
        }

        var version = reader.ReadByte();
        if (version < oldest || version > newest)
        {
            throw new FormatException($"Unsupported {expected} payload version {version}.");
        }

        var value = fields(ref reader, version);
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
