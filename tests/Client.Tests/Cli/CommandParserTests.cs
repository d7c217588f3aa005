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
