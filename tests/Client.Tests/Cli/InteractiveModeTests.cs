using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary><c>chat connect</c> with its input piped: the same commands, written for people.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class InteractiveModeTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task The_chat_terminal_joins_talks_asks_and_quits_in_plain_lines()
    {
        var room = Names.Unique("room");
        var aliceName = Names.Unique("alice");
        var bobName = Names.Unique("bob");
        await using var bob = await fixture.ConnectAsync(1, bobName);
        await bob.Client.JoinAsync(room);
        await using var cli = ChatCli.Start("cli-connect", ["connect", "--url", fixture.GatewayUrl(0).ToString(), "--user", aliceName]);

        foreach (var line in new[] { $"/join {room}", "hello from the terminal", $"/who {room}", $"/whois {bobName}", "/nonsense", "/quit" })
        {
            await cli.WriteLineAsync(line);
        }

        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
        Assert.Equal("hello from the terminal", (await bob.ExpectAsync<MessageReceived>()).BodyAs<string>());
        Assert.Matches($"^connected to gateway-1 as {aliceName} \\(connection [0-9a-f]{{16}}\\); /help lists the commands$", cli.Stdout[0]);
        Assert.Equal("! disconnected: the client was closed", cli.Stdout[^1]);

        // Each answer is written when it comes, so a quick one can overtake a slow one.
        Assert.Equal(
            new[]
            {
                $"joined {room}",
                "sent to 1 recipient, stored",
                $"in {room}: {string.Join(", ", new[] { aliceName, bobName }.Order(StringComparer.Ordinal))}",
                $"{bobName} is online (1 connection)",
                "! bad_command: unknown command /nonsense; /help lists the commands",
            }.Order(StringComparer.Ordinal),
            cli.Stdout.Skip(1).SkipLast(1).Order(StringComparer.Ordinal));
    }
}
