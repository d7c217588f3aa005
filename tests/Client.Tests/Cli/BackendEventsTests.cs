using System.Net.WebSockets;
using ChatPlatform.Client.Tests.Support;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary>
/// What a backend does through the server API, as <c>chat script</c> and <c>chat connect</c> show
/// it, against a stand-in gateway: a message from a system sender, being taken out of a room,
/// and being disconnected by the server (4000), after which the CLI does not reconnect.
/// </summary>
public sealed class BackendEventsTests
{
    [Fact]
    public async Task The_script_writes_a_system_sender_as_the_frame_has_it_its_removal_as_left_and_stops_after_4000()
    {
        await using var gateway = await StartAsync();
        await using var cli = ChatCli.Start("cli-backend", ["script", "--url", gateway.Url.ToString(), "--user", "alice"]);
        await cli.ExpectAsync("connected");

        await cli.WriteLineAsync("/join lobby");
        var message = await cli.ExpectAsync("message");
        var left = await cli.ExpectAsync("left");
        var disconnected = await cli.ExpectAsync("disconnected");

        Assert.Equal("""{"system":"billing"}""", message.GetProperty("from").GetRawText());
        Assert.Equal("Your invoice is ready", message.GetProperty("body").GetProperty("text").GetString());
        Assert.Equal(("lobby", "alice"), (left.GetProperty("room").GetString(), left.GetProperty("user").GetString()));
        Assert.Equal(4000, disconnected.GetProperty("closeStatus").GetInt32());
        Assert.False(disconnected.GetProperty("reconnect").GetBoolean());
        Assert.Equal("disconnected by the server: account suspended", disconnected.GetProperty("reason").GetString());
        Assert.Equal(3, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
        Assert.Single(gateway.Authorizations);
        Assert.Empty(cli.NotJson);
    }

    [Fact]
    public async Task The_terminal_shows_a_system_sender_in_brackets_a_removal_and_who_disconnected_it()
    {
        await using var gateway = await StartAsync();
        await using var cli = ChatCli.Start("cli-backend", ["connect", "--url", gateway.Url.ToString(), "--user", "alice"]);

        await cli.WriteLineAsync("/join lobby");

        Assert.Equal(3, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
        // The join's answer and the events that follow it are written as each comes: in any order.
        Assert.Equal(
            new[] { "joined lobby", "[direct] [billing]: Your invoice is ready", "! you were removed from lobby; /join lobby to join again", "! disconnected by the server: account suspended" }.Order(StringComparer.Ordinal),
            cli.Stdout.Skip(1).Order(StringComparer.Ordinal));
        Assert.Equal("! disconnected by the server: account suspended", cli.Stdout[^1]);
    }

    /// <summary>A gateway that answers the first join, then does what a backend would make it do.</summary>
    private static Task<FakeGateway> StartAsync() => FakeGateway.StartAsync(async connection =>
    {
        var join = (await connection.ReceiveAsync())!.Value;
        await connection.SendAsync(new { type = "ack", id = join.GetProperty("id").GetString(), room = "lobby" });
        await connection.SendAsync(new { type = "message", message = "m-1", from = new { system = "billing" }, to = new { user = "alice" }, body = new { text = "Your invoice is ready" }, ts = 1_733_577_600_000, stream = "user:alice", offset = 7 });
        await connection.SendAsync(new { type = "left", room = "lobby", user = "alice" });
        await Task.Delay(200);
        await connection.CloseAsync((WebSocketCloseStatus)4000, "account suspended");
        await connection.IgnoreAllAsync();
    });
}
