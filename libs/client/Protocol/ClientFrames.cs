using System.Buffers;
using System.Text.Json;

namespace ChatPlatform.Client.Protocol;

/// <summary>Writes the frames a client sends (docs/protocol.md), each with the call's request id.</summary>
internal static class ClientFrames
{
    /// <summary>A <c>send</c> frame; <paramref name="body"/> is JSON the serializer wrote, so it is valid.</summary>
    public static byte[] Send(string id, ChatTarget target, ReadOnlySpan<byte> body)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + body.Length);
        using (var writer = Begin(buffer, "send", id))
        {
            writer.WriteStartObject("to"u8);
            switch (target.Kind)
            {
                case ChatTargetKind.User:
                    writer.WriteString("user"u8, target.Value);
                    break;
                case ChatTargetKind.Connection:
                    writer.WriteString("connection"u8, target.Value);
                    break;
                case ChatTargetKind.Room:
                    writer.WriteString("room"u8, target.Value);
                    break;
                case ChatTargetKind.Everyone:
                    writer.WriteBoolean("everyone"u8, true);
                    break;
            }

            writer.WriteEndObject();
            writer.WritePropertyName("body"u8);
            writer.WriteRawValue(body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Join(string id, string room) => WithName("join", id, "room", room);

    public static byte[] Leave(string id, string room) => WithName("leave", id, "room", room);

    public static byte[] RoomPresence(string id, string room) => WithName("presence", id, "room", room);

    public static byte[] UserPresence(string id, string user) => WithName("presence", id, "user", user);

    private static byte[] WithName(string type, string id, string field, string value)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + value.Length);
        using (var writer = Begin(buffer, type, id))
        {
            writer.WriteString(field, value);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Utf8JsonWriter Begin(ArrayBufferWriter<byte> buffer, string type, string id)
    {
        var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteString("id"u8, id);
        return writer;
    }
}
