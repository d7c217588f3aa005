using System.Text.Json;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Protocol;

/// <summary>Reads the answers to calls (<c>ack</c>, <c>presence</c> and <c>history</c>) into results.</summary>
internal static class Answers
{
    public static SendResult Sent(JsonElement answer) =>
        Read(answer, FrameTypes.Ack, a => new SendResult(
            a.GetProperty("message").GetString()!,
            a.GetProperty("recipients").GetInt32(),
            a.TryGetProperty("stored", out var stored) && stored.ValueKind != JsonValueKind.Null && stored.GetBoolean()));

    public static void RoomAck(JsonElement answer) => Read(answer, FrameTypes.Ack, a => a.GetProperty("room").GetString());

    public static RoomPresence Room(JsonElement answer) =>
        Read(answer, FrameTypes.Presence, a => new RoomPresence(
            a.GetProperty("room").GetString()!,
            [.. a.GetProperty("users").EnumerateArray().Select(user => user.GetString()!)]));

    public static UserPresence User(JsonElement answer) =>
        Read(answer, FrameTypes.Presence, a => new UserPresence(
            a.GetProperty("user").GetString()!,
            a.GetProperty("online").GetBoolean(),
            a.GetProperty("connections").GetInt32()));

    public static ChatHistory History(JsonElement answer) =>
        Read(answer, FrameTypes.History, a => new ChatHistory(
            a.GetProperty("stream").GetString()!,
            a.GetProperty("epoch").GetString()!,
            [.. a.GetProperty("messages").EnumerateArray().Select(ServerEvents.Message)]));

    private static T Read<T>(JsonElement answer, string type, Func<JsonElement, T> read)
    {
        try
        {
            if (answer.GetProperty("type").GetString() == type)
            {
                return read(answer);
            }
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            throw Unexpected(type, answer, exception);
        }

        throw Unexpected(type, answer, null);
    }

    private static ChatException Unexpected(string type, JsonElement answer, Exception? exception) =>
        new(ChatErrorCodes.ProtocolError, $"expected a '{type}' answer, got {answer.GetRawText()}", exception);
}
