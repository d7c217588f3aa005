using System.Text.Json;
using ChatPlatform.Client.Tests.Support;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary><c>chat</c>'s history command and a resumed connection, against a stand-in gateway, in both output modes.</summary>
public sealed class ScriptHistoryTests
{
    [Fact]
    public async Task History_answers_come_out_as_one_json_line_with_the_messages_and_bad_counts_are_refused()
    {
        var asked = new List<string>();
        await using var gateway = await FakeGateway.StartAsync(AnswerHistoryAsync(asked));
        await using var cli = ChatCli.Start("cli-history", ["script", "--url", gateway.Url.ToString(), "--user", "alice"]);
        await cli.ExpectAsync("connected");

        await cli.WriteLineAsync("/history lobby 2");
        await cli.WriteLineAsync("/history @me");
        await cli.WriteLineAsync("/history lobby 500");
        var room = await cli.AnswerToAsync(1);
        var direct = await cli.AnswerToAsync(2);
        var refused = await cli.AnswerToAsync(3);
        cli.EndInput();
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));

        Assert.Equal(["""{"type":"history","id":"1","room":"lobby","limit":2}""", """{"type":"history","id":"2","user":true,"limit":50}"""], asked);
        Assert.Equal("history", Text(room, "event"));
        Assert.Equal("/history lobby 2", Text(room, "command"));
        Assert.Equal(("room:lobby", "e1"), (Text(room, "stream"), Text(room, "epoch")));
        var messages = room.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["m41", "m42"], messages.Select(message => Text(message, "message")));
        Assert.Equal([41L, 42L], messages.Select(message => message.GetProperty("offset").GetInt64()));
        Assert.All(messages, message => Assert.Equal("room:lobby", Text(message, "stream")));
        Assert.Equal("bob", messages[0].GetProperty("from").GetProperty("user").GetString());
        Assert.Equal("lobby", messages[0].GetProperty("to").GetProperty("room").GetString());
        Assert.Equal("""{"text":"hi 41"}""", messages[0].GetProperty("body").GetRawText());
        Assert.Equal(1_700_000_000_041, messages[0].GetProperty("ts").GetInt64());
        Assert.Equal(("history", "user:alice", ""), (Text(direct, "event"), Text(direct, "stream"), Text(direct, "epoch")));
        Assert.Empty(direct.GetProperty("messages").EnumerateArray());
        Assert.Equal(("error", "bad_command"), (Text(refused, "event"), Text(refused, "code")));
        Assert.Empty(cli.NotJson);
    }

    [Fact]
    public async Task The_chat_terminal_prints_a_rooms_history_oldest_first_with_times()
    {
        await using var gateway = await FakeGateway.StartAsync(AnswerHistoryAsync([]));
        await using var cli = ChatCli.Start("cli-history", ["connect", "--url", gateway.Url.ToString(), "--user", "alice"]);

        await cli.WriteLineAsync("/history lobby 2");
        await cli.WriteLineAsync("/history @me");
        cli.EndInput();
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));

        var lines = cli.Stdout.ToList();
        var header = lines.IndexOf("history, lobby: 2 messages, oldest first");
        Assert.True(header > 0, string.Join("\n", lines));
        Assert.Equal($"  {Local(1_700_000_000_041)} [lobby] bob: hi 41", lines[header + 1]);
        Assert.Equal($"  {Local(1_700_000_000_042)} [lobby] bob: hi 42", lines[header + 2]);
        Assert.Contains("no stored messages: direct messages to you", lines);
    }

    [Fact]
    public async Task A_resume_shows_the_recovered_messages_and_its_summary_in_json()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await ResumingGatewayAsync(drop, complete: true);
        await using var cli = ChatCli.Start("cli-resume", ["script", "--url", gateway.Url.ToString(), "--user", "alice"]);
        await cli.ExpectAsync("connected");
        await cli.WriteLineAsync("/join lobby");
        await cli.AnswerToAsync(1);
        var live = await cli.ExpectAsync("message");

        drop.SetResult();
        var recoveredMessage = await cli.ExpectAsync("message");
        var summary = await cli.ExpectAsync("recovered");
        var reconnected = await cli.ExpectAsync("reconnected");
        cli.EndInput();
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));

        Assert.Equal(("m1", "room:lobby", 1L, false), (Text(live, "message"), Text(live, "stream"), live.GetProperty("offset").GetInt64(), live.GetProperty("recovered").GetBoolean()));
        Assert.Equal(("m2", 2L, true), (Text(recoveredMessage, "message"), recoveredMessage.GetProperty("offset").GetInt64(), recoveredMessage.GetProperty("recovered").GetBoolean()));
        Assert.Equal(["lobby"], summary.GetProperty("rooms").EnumerateArray().Select(room => room.GetString()));
        Assert.Equal(1, summary.GetProperty("messages").GetInt32());
        Assert.True(summary.GetProperty("complete").GetBoolean());
        Assert.Equal(["lobby"], reconnected.GetProperty("rooms").EnumerateArray().Select(room => room.GetString()));
        Assert.Single(cli.Stdout, line => line.Contains("\"event\":\"message\"") && line.Contains("\"m2\""));
        Assert.Empty(cli.NotJson);
    }

    [Fact]
    public async Task The_chat_terminal_marks_recovered_messages_and_warns_when_some_were_missed()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await ResumingGatewayAsync(drop, complete: false);
        await using var cli = ChatCli.Start("cli-resume", ["connect", "--url", gateway.Url.ToString(), "--user", "alice"]);
        await cli.WriteLineAsync("/join lobby");
        await WaitForLineAsync(cli, "[lobby] bob: hi 1");

        drop.SetResult();
        await WaitForLineAsync(cli, "reconnected to fake (connection 0000000000000002); back in lobby");
        cli.EndInput();
        Assert.Equal(0, await cli.WaitForExitAsync(ChatCli.DefaultTimeout));

        var lines = cli.Stdout.ToList();
        var recovered = lines.IndexOf("[lobby] bob: hi 2 (recovered)");
        var warning = lines.IndexOf("! resumed with a gap: messages sent while disconnected may be missing (1 message recovered); /history ROOM or /history @me shows what is stored");
        Assert.True(recovered > 0 && warning > recovered, string.Join("\n", lines));
        Assert.Contains("[lobby] bob: hi 1", lines);
    }

    /// <summary>
    /// A gateway whose first connection acks the join, sends m1 and drops when told; the second
    /// recovers m2 and ends the resume with the lobby restored.
    /// </summary>
    private static async Task<FakeGateway> ResumingGatewayAsync(TaskCompletionSource drop, bool complete)
    {
        var gateway = await FakeGateway.StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                var join = (await connection.ReceiveAsync())!.Value;
                await connection.SendAsync(new { type = "ack", id = join.GetProperty("id").GetString(), room = "lobby" });
                await connection.SendAsync(Stored(1));
                await drop.Task;
                connection.Abort();
                return;
            }

            await connection.SendAsync(Stored(2, recovered: true));
            await connection.SendAsync(new { type = "recovered", rooms = new[] { "lobby" }, messages = 1, complete });
            await connection.IgnoreAllAsync();
        });
        gateway.IssueSessions = true;
        return gateway;
    }

    /// <summary>Answers a room's history with offsets 41 and 42, and the user's with nothing.</summary>
    private static Func<FakeConnection, Task> AnswerHistoryAsync(List<string> asked) => async connection =>
    {
        while (await connection.ReceiveAsync() is { } frame)
        {
            lock (asked)
            {
                asked.Add(frame.GetRawText());
            }

            var id = frame.GetProperty("id").GetString();
            if (frame.TryGetProperty("room", out _))
            {
                await connection.SendAsync(new { type = "history", id, stream = "room:lobby", epoch = "e1", messages = new[] { Stored(41), Stored(42) } });
            }
            else
            {
                await connection.SendAsync(new { type = "history", id, stream = "user:alice", epoch = "", messages = Array.Empty<object>() });
            }
        }
    };

    private static object Stored(long offset, bool recovered = false) => new
    {
        type = "message",
        message = $"m{offset}",
        from = new { user = "bob", connection = "b" },
        to = new { room = "lobby" },
        body = new { text = $"hi {offset}" },
        ts = 1_700_000_000_000 + offset,
        stream = "room:lobby",
        offset,
        recovered,
    };

    private static string Local(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss");

    private static async Task WaitForLineAsync(ChatCli cli, string line)
    {
        var deadline = DateTime.UtcNow + ChatCli.DefaultTimeout;
        while (!cli.Stdout.Contains(line))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no line '{line}' in:\n{string.Join("\n", cli.Stdout)}");
            await Task.Delay(50);
        }
    }

    private static string? Text(JsonElement line, string property) => line.GetProperty(property).GetString();
}
