using System.Text.Json;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Protocol;

/// <summary>
/// Writes the frames a client sends (docs/protocol.md), each with the call's request id, with
/// the protocol's <see cref="FrameWriter"/>.
/// </summary>
internal static class ClientFrames
{
    /// <summary>A <c>send</c> frame; <paramref name="body"/> is JSON the serializer wrote, so it is valid.</summary>
    public static byte[] Send(string id, ChatTarget target, ReadOnlySpan<byte> body)
    {
        var writer = Begin(FrameTypes.Send, id);
        FrameWriter.WriteTarget(writer, TargetField(target.Kind), target.Value);
        writer.WritePropertyName("body"u8);
        writer.WriteRawValue(body, skipInputValidation: true);
        return FrameWriter.End(writer);
    }

    public static byte[] Join(string id, string room) => WithName(FrameTypes.Join, id, "room", room);

    public static byte[] Leave(string id, string room) => WithName(FrameTypes.Leave, id, "room", room);

    public static byte[] RoomPresence(string id, string room) => WithName(FrameTypes.Presence, id, "room", room);

    public static byte[] UserPresence(string id, string user) => WithName(FrameTypes.Presence, id, "user", user);

    /// <summary>A <c>history</c> frame for a room's stream.</summary>
    public static byte[] RoomHistory(string id, string room, int limit, long? before)
    {
        var writer = Begin(FrameTypes.History, id);
        writer.WriteString("room"u8, room);
        return EndHistory(writer, limit, before);
    }

    /// <summary>A <c>history</c> frame for the caller's own direct messages.</summary>
    public static byte[] DirectHistory(string id, int limit, long? before)
    {
        var writer = Begin(FrameTypes.History, id);
        writer.WriteBoolean("user"u8, true);
        return EndHistory(writer, limit, before);
    }

    /// <summary>The <c>to</c> field that names a target of this kind.</summary>
    public static string TargetField(ChatTargetKind kind) => kind switch
    {
        ChatTargetKind.User => TargetFields.User,
        ChatTargetKind.Connection => TargetFields.Connection,
        ChatTargetKind.Room => TargetFields.Room,
        _ => TargetFields.Everyone,
    };

    private static byte[] WithName(string type, string id, string field, string value)
    {
        var writer = Begin(type, id);
        writer.WriteString(field, value);
        return FrameWriter.End(writer);
    }

    private static byte[] EndHistory(Utf8JsonWriter writer, int limit, long? before)
    {
        writer.WriteNumber("limit"u8, limit);
        if (before is { } offset)
        {
            writer.WriteNumber("before"u8, offset);
        }

        return FrameWriter.End(writer);
    }

    private static Utf8JsonWriter Begin(string type, string id)
    {
        var writer = FrameWriter.Begin(type);
        writer.WriteString("id"u8, id);
        return writer;
    }
}
