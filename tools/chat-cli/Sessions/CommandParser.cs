using System.Globalization;
using ChatPlatform.Client;

namespace ChatPlatform.Cli.Sessions;

/// <summary>Reads the chat commands of <c>connect</c> and <c>script</c> (docs/clients.md).</summary>
internal static class CommandParser
{
    /// <summary>
    /// What <c>/history</c> takes for the user's own direct messages: room names cannot contain
    /// <c>@</c>, so no room is mistaken for it.
    /// </summary>
    public const string DirectMessages = "@me";

    public const string Help = """
        /join ROOM          join a room (it becomes the current room)
        /leave ROOM         leave a room
        /msg USER TEXT      send TEXT to every connection of USER
        /room ROOM TEXT     send TEXT to a room you joined (it becomes the current room)
        /all TEXT           send TEXT to everyone, where the gateway allows it
        /who ROOM           who is in a room
        /whois USER         whether a user is online
        /history ROOM [N]   the last N (default 50, at most 100) stored messages of a room you are in
        /history @me [N]    the last N stored direct messages to you
        /quit               leave (so does the end of input)
        TEXT                send TEXT to the current room
        """;

    public static ChatCommand Parse(string text, int line)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('/'))
        {
            return new ChatCommand(CommandKind.Say, line, text, Body: trimmed);
        }

        var parts = trimmed.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var name = parts.Length > 1 ? parts[1] : null;
        var body = parts.Length > 2 ? parts[2] : null;
        return parts[0].ToLowerInvariant() switch
        {
            "/join" => Named(CommandKind.Join, "/join ROOM"),
            "/leave" => Named(CommandKind.Leave, "/leave ROOM"),
            "/who" => Named(CommandKind.Who, "/who ROOM"),
            "/whois" => Named(CommandKind.Whois, "/whois USER"),
            "/history" => History(),
            "/msg" => WithBody(CommandKind.Message, "/msg USER TEXT"),
            "/room" => WithBody(CommandKind.Room, "/room ROOM TEXT"),
            "/all" => name is null
                ? Invalid("usage: /all TEXT")
                : new ChatCommand(CommandKind.Everyone, line, text, Body: trimmed["/all".Length..].Trim()),
            "/help" => new ChatCommand(CommandKind.Help, line, text),
            "/quit" or "/exit" => new ChatCommand(CommandKind.Quit, line, text),
            _ => Invalid($"unknown command {parts[0]}; /help lists the commands"),
        };

        ChatCommand Named(CommandKind kind, string usage) =>
            name is not null && body is null ? new ChatCommand(kind, line, text, name) : Invalid($"usage: {usage}");

        ChatCommand WithBody(CommandKind kind, string usage) =>
            body is not null ? new ChatCommand(kind, line, text, name, body) : Invalid($"usage: {usage}");

        ChatCommand History()
        {
            if (name is null || body?.Contains(' ') == true)
            {
                return Invalid($"usage: /history ROOM [N] or /history {DirectMessages} [N]");
            }

            int? limit = null;
            if (body is not null)
            {
                if (!int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ChatClient.MaxHistoryLimit)
                {
                    return Invalid($"/history: N must be a whole number from 1 to {ChatClient.MaxHistoryLimit}");
                }

                limit = count;
            }

            return name == DirectMessages
                ? new ChatCommand(CommandKind.DirectHistory, line, text, Limit: limit)
                : new ChatCommand(CommandKind.RoomHistory, line, text, name, Limit: limit);
        }

        ChatCommand Invalid(string error) => new(CommandKind.Invalid, line, text, Error: error);
    }
}
