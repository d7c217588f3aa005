namespace ChatPlatform.Cli.Sessions;

/// <summary>What a line of input asks for.</summary>
internal enum CommandKind
{
    /// <summary>A line that is not a command the parser knows; <see cref="ChatCommand.Error"/> says why.</summary>
    Invalid,
    Join,
    Leave,
    Message,
    Room,
    Everyone,
    Say,
    Who,
    Whois,

    /// <summary>The stored messages of a room.</summary>
    RoomHistory,

    /// <summary>The stored direct messages to the user.</summary>
    DirectHistory,
    Help,
    Quit,
}
