namespace ChatPlatform.Cli.Sessions;

/// <summary>Reads the chat commands of <c>connect</c> and <c>script</c> (docs/clients.md).</summary>
internal static class CommandParser
{
    public const string Help = """
        /join ROOM          join a room (it becomes the current room)
        /leave ROOM         leave a room
        /msg USER TEXT      send TEXT to every connection of USER
        /room ROOM TEXT     send TEXT to a room you joined (it becomes the current room)
        /all TEXT           send TEXT to everyone, where the gateway allows it
        /who ROOM           who is in a room
        /whois USER         whether a user is online
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

        ChatCommand Invalid(string error) => new(CommandKind.Invalid, line, text, Error: error);
    }
}
