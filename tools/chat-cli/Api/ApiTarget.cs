using ChatPlatform.Client;

namespace ChatPlatform.Cli.Api;

/// <summary>Reads the targets <c>chat api</c> takes: <c>user:ID</c>, <c>room:NAME</c>, <c>connection:ID</c>, <c>everyone</c>.</summary>
internal static class ApiTarget
{
    public const string Forms = "user:ID, room:NAME, connection:ID or everyone";

    /// <summary>The target <paramref name="text"/> names, or <see langword="null"/> when it names none.</summary>
    public static ChatTarget? Parse(string? text)
    {
        if (text == "everyone")
        {
            return ChatTarget.Everyone;
        }

        // Only the first colon separates: room names may contain colons (private:staff).
        var colon = text?.IndexOf(':') ?? -1;
        if (colon <= 0 || colon == text!.Length - 1)
        {
            return null;
        }

        var value = text[(colon + 1)..];
        return text[..colon] switch
        {
            "user" => ChatTarget.User(value),
            "room" => ChatTarget.Room(value),
            "connection" => ChatTarget.Connection(value),
            _ => null,
        };
    }
}
