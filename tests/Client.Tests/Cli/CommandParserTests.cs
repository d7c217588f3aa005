using ChatPlatform.Cli.Sessions;

namespace ChatPlatform.Client.Tests.Cli;

public sealed class CommandParserTests
{
    // The kind by name: a public test cannot take the internal CommandKind as a parameter.
    [Theory]
    [InlineData("/join lobby", "Join", "lobby", null)]
    [InlineData("/leave lobby", "Leave", "lobby", null)]
    [InlineData("/who lobby", "Who", "lobby", null)]
    [InlineData("/whois bob", "Whois", "bob", null)]
    [InlineData("/msg bob hi there,  bob", "Message", "bob", "hi there,  bob")]
    [InlineData("/room lobby hi all", "Room", "lobby", "hi all")]
    [InlineData("/all hear ye", "Everyone", null, "hear ye")]
    [InlineData("  just talking  ", "Say", null, "just talking")]
    [InlineData("/JOIN lobby", "Join", "lobby", null)]
    [InlineData("/help", "Help", null, null)]
    [InlineData("/quit", "Quit", null, null)]
    [InlineData("/exit", "Quit", null, null)]
    public void Each_command_is_read_with_its_name_and_text(string text, string kind, string? name, string? body)
    {
        var command = CommandParser.Parse(text, 7);

        Assert.Equal(new ChatCommand(Enum.Parse<CommandKind>(kind), 7, text, name, body), command);
    }

    [Theory]
    [InlineData("/history lobby", "RoomHistory", "lobby", null)]
    [InlineData("/history lobby 20", "RoomHistory", "lobby", 20)]
    [InlineData("/HISTORY  lobby   100", "RoomHistory", "lobby", 100)]
    [InlineData("/history me 1", "RoomHistory", "me", 1)]
    [InlineData("/history @me", "DirectHistory", null, null)]
    [InlineData("/history @me 5", "DirectHistory", null, 5)]
    public void A_history_command_names_a_room_or_the_users_own_messages_and_maybe_how_many(string text, string kind, string? room, int? limit)
    {
        var command = CommandParser.Parse(text, 3);

        Assert.Equal(new ChatCommand(Enum.Parse<CommandKind>(kind), 3, text, room, Limit: limit), command);
    }

    [Theory]
    [InlineData("/history", "usage: /history ROOM [N] or /history @me [N]")]
    [InlineData("/history lobby 5 6", "usage: /history ROOM [N] or /history @me [N]")]
    [InlineData("/history lobby 0", "/history: N must be a whole number from 1 to 100")]
    [InlineData("/history lobby 101", "/history: N must be a whole number from 1 to 100")]
    [InlineData("/history @me -1", "/history: N must be a whole number from 1 to 100")]
    [InlineData("/history lobby ten", "/history: N must be a whole number from 1 to 100")]
    [InlineData("/history lobby 99999999999", "/history: N must be a whole number from 1 to 100")]
    public void A_history_command_with_a_bad_count_is_invalid_and_says_why(string text, string error)
    {
        var command = CommandParser.Parse(text, 1);

        Assert.Equal(CommandKind.Invalid, command.Kind);
        Assert.Equal(error, command.Error);
    }

    [Fact]
    public void Help_lists_the_history_commands()
    {
        Assert.Contains("/history ROOM [N]", CommandParser.Help);
        Assert.Contains("/history @me [N]", CommandParser.Help);
    }

    [Theory]
    [InlineData("/join", "usage: /join ROOM")]
    [InlineData("/join two rooms", "usage: /join ROOM")]
    [InlineData("/msg bob", "usage: /msg USER TEXT")]
    [InlineData("/room lobby", "usage: /room ROOM TEXT")]
    [InlineData("/all", "usage: /all TEXT")]
    [InlineData("/dance now", "unknown command /dance; /help lists the commands")]
    public void A_malformed_command_is_invalid_and_says_why(string text, string error)
    {
        var command = CommandParser.Parse(text, 1);

        Assert.Equal(CommandKind.Invalid, command.Kind);
        Assert.Equal(error, command.Error);
    }
}
