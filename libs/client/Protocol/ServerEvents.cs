using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Protocol;

/// <summary>Reads the gateway's event frames (<c>message</c>, <c>recovered</c>, <c>joined</c>, <c>left</c>, <c>error</c>) into <see cref="ChatEvent"/>s.</summary>
internal static class ServerEvents
{
    /// <summary>The event a frame carries, or <see langword="null"/> for a type this client does not know (newer gateways may add some).</summary>
    /// <exception cref="InvalidOperationException">A known frame without its fields.</exception>
    /// <exception cref="KeyNotFoundException">A known frame without its fields.</exception>
    /// <exception cref="FormatException">A known frame with a field of the wrong kind.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A message whose <c>ts</c> is no possible time.</exception>
    public static ChatEvent? Read(string type, JsonElement frame) => type switch
    {
        FrameTypes.Message => Message(frame),
        FrameTypes.Recovered => new Recovered(
            [.. frame.GetProperty("rooms").EnumerateArray().Select(room => room.GetString()!)],
            frame.GetProperty("messages").GetInt32(),
            frame.GetProperty("complete").GetBoolean()),
        FrameTypes.Joined => new UserJoined(frame.GetProperty("room").GetString()!, frame.GetProperty("user").GetString()!),
        FrameTypes.Left => new UserLeft(frame.GetProperty("room").GetString()!, frame.GetProperty("user").GetString()!),
        FrameTypes.Error => new ErrorReceived(frame.GetProperty("code").GetString()!, frame.GetProperty("message").GetString()!),
        _ => null,
    };

    /// <summary>A <c>message</c> frame, live or recovered, or one of a <c>history</c> answer's messages; exceptions as <see cref="Read"/>.</summary>
    public static MessageReceived Message(JsonElement frame)
    {
        var from = frame.GetProperty("from");

        // A backend's message names a system sender and no user or connection (docs/api.md, "Publish").
        var system = Optional(from, "system") is { } name ? name.GetString() : null;
        return new MessageReceived(
            frame.GetProperty("message").GetString()!,
            system is null ? from.GetProperty("user").GetString()! : null,
            system is null ? from.GetProperty("connection").GetString()! : null,
            Target(frame.GetProperty(TargetFields.To)),
            frame.GetProperty("body").Clone(),
            DateTimeOffset.FromUnixTimeMilliseconds(frame.GetProperty("ts").GetInt64()),
            Optional(frame, "stream") is { } stream ? stream.GetString() : null,
            Optional(frame, "offset") is { } offset ? offset.GetInt64() : null,
            Optional(frame, "recovered") is { } recovered && recovered.GetBoolean(),
            system);
    }

    /// <summary>A field that may be left out; <c>null</c> counts as left out.</summary>
    private static JsonElement? Optional(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ChatTarget Target(JsonElement to)
    {
        if (to.TryGetProperty(TargetFields.User, out var user))
        {
            return ChatTarget.User(user.GetString()!);
        }

        if (to.TryGetProperty(TargetFields.Connection, out var connection))
        {
            return ChatTarget.Connection(connection.GetString()!);
        }

        if (to.TryGetProperty(TargetFields.Room, out var room))
        {
            return ChatTarget.Room(room.GetString()!);
        }

        return to.TryGetProperty(TargetFields.Everyone, out _)
            ? ChatTarget.Everyone
            : throw new InvalidOperationException($"unknown target {to.GetRawText()}");
    }
}
