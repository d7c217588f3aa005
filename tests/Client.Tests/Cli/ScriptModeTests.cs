using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary><c>chat script</c> run as a process against the live stack, with a library client on the other side.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class ScriptModeTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task A_script_chats_and_asks_and_every_event_comes_out_as_one_json_line()
    {
        var room = Names.Unique("room");
        var aliceName = Names.Unique("alice");
        var bobName = Names.Unique("bob");
        await using var bob = await fixture.ConnectAsync(1, bobName);
        await using var cli = ChatCli.Start("cli-script", ["script", "--url", fixture.GatewayUrl(0).ToString(), "--user", aliceName]);

        var connected = await cli.ExpectAsync("connected");
        Assert.Equal(aliceName, connected.GetProperty("user").GetString());
        Assert.Equal("gateway-1", connected.GetProperty("gateway").GetString());
        Assert.Matches("^[0-9a-f]{16}$", connected.GetProperty("connection").GetString());
        Assert.Equal(fixture.GatewayUrl(0).ToString(), connected.GetProperty("url").GetString());
        var aliceConnection = connected.GetProperty("connection").GetString();

        // 1: join; the joined room becomes the current room.
        await cli.WriteLineAsync($"/join {room}");
        var joinAck = await cli.AnswerToAsync(1);
        Assert.Equal("ack", Text(joinAck, "event"));
        Assert.Equal($"/join {room}", Text(joinAck, "command"));
        Assert.Equal(room, Text(joinAck, "room"));

        await bob.Client.JoinAsync(room);
        var joined = await cli.ExpectAsync("joined");
        Assert.Equal(room, Text(joined, "room"));
        Assert.Equal(bobName, Text(joined, "user"));

        // 2: a plain line goes to the current room.
        await cli.WriteLineAsync("hello room");
        var sayAck = await cli.AnswerToAsync(2);
        Assert.Equal("ack", Text(sayAck, "event"));
        Assert.Equal(1, sayAck.GetProperty("recipients").GetInt32());
        var inRoom = await bob.ExpectAsync<MessageReceived>();
        Assert.Equal(Text(sayAck, "message"), inRoom.MessageId);
        Assert.Equal(ChatTarget.Room(room), inRoom.To);
        Assert.Equal((aliceName, aliceConnection), (inRoom.FromUser, inRoom.FromConnection));
        Assert.Equal("hello room", inRoom.BodyAs<string>());

        // 3: a direct message.
        await cli.WriteLineAsync($"/msg {bobName} psst, bob");
        var msgAck = await cli.AnswerToAsync(3);
        Assert.Equal(1, msgAck.GetProperty("recipients").GetInt32());
        var direct = await bob.ExpectAsync<MessageReceived>();
        Assert.Equal(ChatTarget.User(bobName), direct.To);
        Assert.Equal("psst, bob", direct.BodyAs<string>());

        // Incoming messages, direct and in the room.
        var toAlice = await bob.Client.SendToUserAsync(aliceName, new { text = "hi alice", n = 1 });
        var received = await cli.ExpectAsync("message", line => Text(line, "message") == toAlice.MessageId);
        Assert.Equal(bobName, received.GetProperty("from").GetProperty("user").GetString());
        Assert.Equal(bob.Client.Session.ConnectionId, received.GetProperty("from").GetProperty("connection").GetString());
        Assert.Equal(aliceName, received.GetProperty("to").GetProperty("user").GetString());
        Assert.Equal("""{"text":"hi alice","n":1}""", received.GetProperty("body").GetRawText());
        Assert.InRange(
            DateTimeOffset.FromUnixTimeMilliseconds(received.GetProperty("ts").GetInt64()),
            DateTimeOffset.UtcNow.AddMinutes(-1),
            DateTimeOffset.UtcNow.AddMinutes(1));
        var toRoom = await bob.Client.SendToRoomAsync(room, "room reply");
        var roomMessage = await cli.ExpectAsync("message", line => Text(line, "message") == toRoom.MessageId);
        Assert.Equal(room, roomMessage.GetProperty("to").GetProperty("room").GetString());
        Assert.Equal("room reply", Text(roomMessage, "body"));

        // 4, 5: presence questions.
        await cli.WriteLineAsync($"/who {room}");
        await cli.WriteLineAsync($"/whois {bobName}");
        var who = await cli.AnswerToAsync(4);
        var whois = await cli.AnswerToAsync(5);
        Assert.Equal("presence", Text(who, "event"));
        Assert.Equal(new[] { aliceName, bobName }.Order(StringComparer.Ordinal), who.GetProperty("users").EnumerateArray().Select(user => user.GetString()));
        Assert.Equal("presence", Text(whois, "event"));
        Assert.Equal(bobName, Text(whois, "user"));
        Assert.True(whois.GetProperty("online").GetBoolean());
        Assert.Equal(1, whois.GetProperty("connections").GetInt32());

        // 6: to everyone (on in this stack).
        await cli.WriteLineAsync("/all hello everyone");
        var allAck = await cli.AnswerToAsync(6);
        Assert.True(allAck.GetProperty("recipients").GetInt32() >= 1);
        var everyone = await bob.ExpectAsync<MessageReceived>(message => message.MessageId == Text(allAck, "message"));
        Assert.Equal(ChatTarget.Everyone, everyone.To);

        // 7, 8, 9: errors, from the gateway and from the CLI itself, each on its line.
        var nobody = Names.Unique("nobody");
        await cli.WriteLineAsync($"/msg {nobody} anyone?");
        await cli.WriteLineAsync("/dance");
        await cli.WriteLineAsync($"/room {Names.Unique("other")} let me in");
        var offline = await cli.AnswerToAsync(7);
        var unknown = await cli.AnswerToAsync(8);
        var forbidden = await cli.AnswerToAsync(9);
        Assert.Equal(("error", "offline", $"user {nobody} is not connected"), (Text(offline, "event"), Text(offline, "code"), Text(offline, "message")));
        Assert.Equal(("error", "bad_command"), (Text(unknown, "event"), Text(unknown, "code")));
        Assert.Contains("/help", Text(unknown, "message"));
        Assert.Equal(("error", "forbidden"), (Text(forbidden, "event"), Text(forbidden, "code")));

        // 10: help, which is not an answer from the gateway and has no line.
        await cli.WriteLineAsync("/help");
        Assert.Contains("/join ROOM", Text(await cli.ExpectAsync("help"), "text"));

        await bob.Client.LeaveAsync(room);
        var left = await cli.ExpectAsync("left");
        Assert.Equal((room, bobName), (Text(left, "room"), Text(left, "user")));

        // 11: leave; then the end of input ends the session.
        await cli.WriteLineAsync($"/leave {room}");
        Assert.Equal(room, Text(await cli.AnswerToAsync(11), "room"));
        cli.EndInput();

        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
        var last = JsonDocument.Parse(cli.Stdout[^1]).RootElement;
        Assert.Equal("disconnected", Text(last, "event"));
        Assert.False(last.GetProperty("reconnect").GetBoolean());
        Assert.Empty(cli.NotJson);
        Assert.Empty(cli.Stderr);
    }

    [Fact]
    public async Task Piped_commands_go_out_in_order_and_the_script_exits_once_all_are_answered()
    {
        var room = Names.Unique("room");
        await using var bob = await fixture.ConnectAsync(0, Names.Unique("bob"));
        await bob.Client.JoinAsync(room);
        await using var cli = ChatCli.Start("cli-piped", ["script", "--url", fixture.GatewayUrl(1).ToString(), "--user", Names.Unique("alice")]);

        // Written at once, without waiting for answers, as `printf ... | chat script` would.
        string[] lines = [$"/join {room}", "", "first", "second", "third", $"/leave {room}"];
        foreach (var line in lines)
        {
            await cli.WriteLineAsync(line);
        }

        cli.EndInput();

        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
        foreach (var body in new[] { "first", "second", "third" })
        {
            Assert.Equal(body, (await bob.ExpectAsync<MessageReceived>()).BodyAs<string>());
        }

        // Line numbers count the blank line, which is skipped.
        var answers = new[] { 1, 3, 4, 5, 6 }.Select(line => cli.AnswerToAsync(line, TimeSpan.Zero)).ToList();
        Assert.All(await Task.WhenAll(answers), answer => Assert.Equal("ack", Text(answer, "event")));
        Assert.Empty(cli.NotJson);
    }

    [Fact]
    public async Task A_script_reads_a_rooms_history_and_its_own_direct_messages()
    {
        var room = Names.Unique("room");
        var aliceName = Names.Unique("alice");
        await using var bob = await fixture.ConnectAsync(1, Names.Unique("bob"));
        await bob.Client.JoinAsync(room);
        await using var cli = ChatCli.Start("cli-script", ["script", "--url", fixture.GatewayUrl(0).ToString(), "--user", aliceName]);
        await cli.ExpectAsync("connected");

        await cli.WriteLineAsync($"/join {room}");
        await cli.AnswerToAsync(1);
        await cli.WriteLineAsync("mine");
        var ack = await cli.AnswerToAsync(2);
        var first = await bob.Client.SendToRoomAsync(room, "first");
        var second = await bob.Client.SendToRoomAsync(room, new { text = "second" });
        var direct = await bob.Client.SendToUserAsync(aliceName, "just for you");
        await cli.ExpectAsync("message", line => Text(line, "message") == direct.MessageId);

        await cli.WriteLineAsync($"/history {room} 2");
        await cli.WriteLineAsync("/history @me");
        var history = await cli.AnswerToAsync(3);
        var own = await cli.AnswerToAsync(4);
        cli.EndInput();
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));

        Assert.True(ack.GetProperty("stored").GetBoolean());
        Assert.Equal(("history", $"room:{room}"), (Text(history, "event"), Text(history, "stream")));
        Assert.NotEmpty(Text(history, "epoch")!);
        var messages = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([first.MessageId, second.MessageId], messages.Select(message => Text(message, "message")));
        Assert.Equal([2L, 3L], messages.Select(message => message.GetProperty("offset").GetInt64()));
        Assert.Equal("""{"text":"second"}""", messages[1].GetProperty("body").GetRawText());
        Assert.Equal(($"user:{aliceName}", direct.MessageId), (Text(own, "stream"), Text(Assert.Single(own.GetProperty("messages").EnumerateArray()), "message")));
        Assert.Empty(cli.NotJson);
    }

    [Fact]
    public async Task A_script_that_cannot_connect_writes_a_fatal_line_and_exits_with_2()
    {
        var deadPort = FreePort.Next();
        await using var unreachable = ChatCli.Start("cli-fatal", ["script", "--url", $"ws://127.0.0.1:{deadPort}/ws", "--user", "alice"]);
        await using var refused = ChatCli.Start("cli-refused", ["script", "--url", fixture.GatewayUrl(0).ToString(), "--token", "not.a.token"]);

        Assert.Equal(2, await unreachable.WaitForExitAsync(ChatCli.DefaultTimeout));
        Assert.Equal(2, await refused.WaitForExitAsync(ChatCli.DefaultTimeout));
        var fatal = JsonDocument.Parse(Assert.Single(unreachable.Stdout)).RootElement;
        var unauthorized = JsonDocument.Parse(Assert.Single(refused.Stdout)).RootElement;
        Assert.Equal(("fatal", "connect_failed"), (Text(fatal, "event"), Text(fatal, "code")));
        Assert.Equal(("fatal", "unauthorized"), (Text(unauthorized, "event"), Text(unauthorized, "code")));
        Assert.Contains("HTTP 401", Text(unauthorized, "message"));
    }

    [Fact]
    public async Task Giving_neither_or_both_of_user_and_token_is_a_usage_error()
    {
        var url = fixture.GatewayUrl(0).ToString();

        var neither = await ChatCli.RunAsync("cli-usage", ["script", "--url", url]);
        var both = await ChatCli.RunAsync("cli-usage", ["script", "--url", url, "--user", "alice", "--token", "x"]);
        var badUrl = await ChatCli.RunAsync("cli-usage", ["script", "--url", "http://127.0.0.1/ws", "--user", "alice"]);

        Assert.All([neither, both, badUrl], run =>
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Empty(run.Stdout);
        });
        Assert.Contains(neither.Stderr, line => line.Contains("Give exactly one of --user NAME or --token JWT."));
        Assert.Contains(both.Stderr, line => line.Contains("Give exactly one of --user NAME or --token JWT."));
        Assert.Contains(badUrl.Stderr, line => line.Contains("--url must be a ws:// or wss:// address"));
    }

    [Fact]
    public async Task A_refused_join_does_not_become_the_current_room()
    {
        var room = Names.Unique("room");
        await using var cli = ChatCli.Start("cli-script", ["script", "--url", fixture.GatewayUrl(0).ToString(), "--user", Names.Unique("alice")]);
        await cli.ExpectAsync("connected");

        await cli.WriteLineAsync($"/join {room}");
        Assert.Equal("ack", Text(await cli.AnswerToAsync(1), "event"));
        await cli.WriteLineAsync($"/join private:{Names.Unique("staff")}");
        Assert.Equal("forbidden", Text(await cli.AnswerToAsync(2), "code"));
        await cli.WriteLineAsync("still here");
        var say = await cli.AnswerToAsync(3);
        cli.EndInput();

        Assert.Equal("ack", Text(say, "event"));
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("1e-9")]
    [InlineData("3601")]
    [InlineData("1e300")]
    public async Task A_timeout_outside_a_millisecond_to_an_hour_is_a_usage_error(string timeout)
    {
        var run = await ChatCli.RunAsync("cli-usage", ["script", "--url", fixture.GatewayUrl(0).ToString(), "--user", "alice", "--timeout", timeout]);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains(run.Stderr, line => line.Contains("--timeout must be between"));
    }

    private static string? Text(JsonElement line, string property) => line.GetProperty(property).GetString();
}
