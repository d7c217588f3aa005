using System.Buffers;
using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>
/// Writes the server's frames (docs/protocol.md). Each frame is built once into its own array,
/// which can then be queued to any number of sockets. The writer and its buffer are reused per
/// thread.
/// </summary>
internal static class ServerFrames
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    public static byte[] Welcome(string connectionId, string userId, string gatewayId)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "welcome"u8);
        writer.WriteString("connection"u8, connectionId);
        writer.WriteString("user"u8, userId);
        writer.WriteString("gateway"u8, gatewayId);
        writer.WriteEndObject();
        return End(writer);
    }

    public static byte[] Ack(byte[]? requestId, string messageId, int recipients)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "ack"u8);
        WriteRequestId(writer, requestId);
        writer.WriteString("message"u8, messageId);
        writer.WriteNumber("recipients"u8, recipients);
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary><c>{"type":"ack","id":..,"room":"lobby"}</c>: a join or leave took effect.</summary>
    public static byte[] RoomAck(byte[]? requestId, string room)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "ack"u8);
        WriteRequestId(writer, requestId);
        writer.WriteString("room"u8, room);
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary><c>{"type":"presence","id":..,"room":"lobby","users":[..]}</c></summary>
    public static byte[] RoomPresence(byte[]? requestId, string room, IReadOnlyList<string> users)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "presence"u8);
        WriteRequestId(writer, requestId);
        writer.WriteString("room"u8, room);
        writer.WriteStartArray("users"u8);
        foreach (var user in users)
        {
            writer.WriteStringValue(user);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary><c>{"type":"presence","id":..,"user":"bob","online":true,"connections":2}</c></summary>
    public static byte[] UserPresence(byte[]? requestId, string userId, int connections)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "presence"u8);
        WriteRequestId(writer, requestId);
        writer.WriteString("user"u8, userId);
        writer.WriteBoolean("online"u8, connections > 0);
        writer.WriteNumber("connections"u8, connections);
        writer.WriteEndObject();
        return End(writer);
    }

    /// <summary><c>{"type":"joined","room":"lobby","user":"bob"}</c> or <c>"left"</c>.</summary>
    public static byte[] Membership(MembershipEvent membership)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, membership.Kind == MembershipEventKind.Joined ? "joined"u8 : "left"u8);
        writer.WriteString("room"u8, membership.Room);
        writer.WriteString("user"u8, membership.UserId);
        writer.WriteEndObject();
        return End(writer);
    }

    public static byte[] Error(byte[]? requestId, string code, string message)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        WriteRequestId(writer, requestId);
        writer.WriteString("code"u8, code);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        return End(writer);
    }

    public static byte[] Error(ProtocolError error) => Error(error.RequestId, error.Code, error.Message);

    public static byte[] Message(Delivery delivery)
    {
        var writer = Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("message"u8, delivery.MessageId);
        writer.WriteStartObject("from"u8);
        writer.WriteString("user"u8, delivery.FromUser);
        writer.WriteString("connection"u8, delivery.FromConnection);
        writer.WriteEndObject();
        WriteTarget(writer, delivery.Target);
        writer.WritePropertyName("body"u8);

        // Validated by the sending gateway's parser.
        writer.WriteRawValue(delivery.Body.Span, skipInputValidation: true);
        writer.WriteNumber("ts"u8, delivery.Timestamp);
        writer.WriteEndObject();
        return End(writer);
    }

    private static void WriteTarget(Utf8JsonWriter writer, MessageTarget target)
    {
        writer.WriteStartObject("to"u8);
        switch (target.Kind)
        {
            case TargetKind.User:
                writer.WriteString("user"u8, target.Value);
                break;
            case TargetKind.Connection:
                writer.WriteString("connection"u8, target.Value);
                break;
            case TargetKind.Room:
                writer.WriteString("room"u8, target.Value);
                break;
            case TargetKind.Everyone:
                writer.WriteBoolean("everyone"u8, true);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteRequestId(Utf8JsonWriter writer, byte[]? requestId)
    {
        writer.WritePropertyName("id"u8);
        if (requestId is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            // The client's own token (a string or a number), echoed exactly.
            writer.WriteRawValue(requestId, skipInputValidation: true);
        }
    }

    private static Utf8JsonWriter Begin()
    {
        var scratch = t_scratch ??= new Scratch();
        scratch.Buffer.ResetWrittenCount();
        scratch.Writer.Reset(scratch.Buffer);
        return scratch.Writer;
    }

    private static byte[] End(Utf8JsonWriter writer)
    {
        writer.Flush();
        return t_scratch!.Buffer.WrittenSpan.ToArray();
    }

    private sealed class Scratch
    {
        public Scratch() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(512);

        public Utf8JsonWriter Writer { get; }
    }
}
