using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;
using Microsoft.Extensions.Primitives;

namespace ChatPlatform.Client.Tests.Connections;

/// <summary>Resuming after a drop, against a scripted gateway that plays the server's part of docs/protocol.md, "Resuming a connection".</summary>
public sealed class FakeGatewayResumeTests
{
    [Fact]
    public async Task After_a_drop_the_client_resumes_its_last_session_from_the_last_offset_it_got_in_each_stream()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await AckJoinsAsync(connection, 1);
                await connection.SendAsync(RoomMessage("m1", 1));
                await connection.SendAsync(RoomMessage("m2", 2));
                await connection.SendAsync(DirectMessage("d7", 7));
                await connection.SendAsync(RoomMessage("m3", 3));
                await connection.SendAsync(Unstored("c1"));
                await drop.Task;
                connection.Abort();
                return;
            }

            await connection.SendAsync(Recovered(["lobby"], 0, complete: true));
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "c1");

        drop.SetResult();
        await client.ExpectAsync<Reconnected>();

        var queries = gateway.Queries.ToArray();
        Assert.False(queries[0].ContainsKey("resume"));
        Assert.False(queries[0].ContainsKey("since"));
        Assert.Equal(FakeGateway.SessionOf(1), queries[1]["resume"].ToString());
        Assert.Equal(["room:lobby:3", "user:alice:7"], Since(queries[1]));
        Assert.Equal("alice", queries[1]["user"].ToString());
    }

    [Fact]
    public async Task A_message_at_or_below_the_last_offset_got_before_the_drop_is_dropped_whether_recovered_or_live()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await AckJoinsAsync(connection, 1);
                await connection.SendAsync(RoomMessage("m1", 1));
                await connection.SendAsync(RoomMessage("m2", 2));
                await connection.SendAsync(RoomMessage("m3", 3));
                await connection.SendAsync(DirectMessage("d7", 7));
                await drop.Task;
                connection.Abort();
                return;
            }

            // As a gateway that did not get since for the room would: from further back.
            await connection.SendAsync(RoomMessage("m2", 2, recovered: true));
            await connection.SendAsync(RoomMessage("m3", 3, recovered: true));
            await connection.SendAsync(RoomMessage("m4", 4, recovered: true));
            await connection.SendAsync(RoomMessage("m5", 5, recovered: true));
            await connection.SendAsync(Recovered(["lobby"], 4, complete: true));
            await connection.SendAsync(DirectMessage("d6", 6));
            await connection.SendAsync(DirectMessage("d7", 7));
            await connection.SendAsync(DirectMessage("d8", 8));
            await connection.SendAsync(RoomMessage("m6", 6));
            await connection.SendAsync(Unstored("c1"));
            await connection.SendAsync(Unstored("c1"));
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "d7");

        drop.SetResult();
        await client.ExpectAsync<Reconnected>();
        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "c1");
        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "c1");

        var messages = client.History.Select(entry => entry.Event).OfType<MessageReceived>().ToList();
        Assert.Equal(["m1", "m2", "m3", "d7", "m4", "m5", "d8", "m6", "c1", "c1"], messages.Select(message => message.MessageId));
        Assert.Equal([false, false, false, false, true, true, false, false, false, false], messages.Select(message => message.Recovered));
        var events = client.History.Select(entry => entry.Event).ToList();
        var recovered = Assert.Single(events.OfType<Recovered>());
        Assert.Equal(["lobby"], recovered.Rooms);
        Assert.True(recovered.Complete);
        Assert.True(events.IndexOf(recovered) > events.FindIndex(chatEvent => chatEvent is MessageReceived { MessageId: "m5" }));
        Assert.True(events.IndexOf(recovered) < events.FindIndex(chatEvent => chatEvent is Reconnected));
    }

    [Fact]
    public async Task A_stream_that_starts_again_while_the_client_stays_connected_is_followed_from_its_new_first_offset()
    {
        await using var gateway = await StartAsync(async connection =>
        {
            await connection.SendAsync(RoomMessage("m40", 40));
            await connection.SendAsync(RoomMessage("m41", 41));

            // The room's stream expired after a quiet day: a new epoch, offsets from 1.
            await connection.SendAsync(RoomMessage("n1", 1));
            await connection.SendAsync(RoomMessage("n2", 2));
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "n2");

        var messages = client.History.Select(entry => entry.Event).OfType<MessageReceived>();
        Assert.Equal(["m40", "m41", "n1", "n2"], messages.Select(message => message.MessageId));
    }

    [Fact]
    public async Task Rooms_the_gateway_restored_are_not_joined_again_and_the_rest_are()
    {
        var drop = new TaskCompletionSource();
        var secondConnection = new List<string>();
        await using var gateway = await StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await AckJoinsAsync(connection, 2);
                await drop.Task;
                connection.Abort();
                return;
            }

            await connection.SendAsync(Recovered(["lobby"], 0, complete: true));
            while (await connection.ReceiveAsync() is { } frame)
            {
                lock (secondConnection)
                {
                    secondConnection.Add($"{frame.GetProperty("type").GetString()} {Name(frame)}");
                }

                await Answer(connection, frame);
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.Client.JoinAsync("extra");

        drop.SetResult();
        var reconnected = await client.ExpectAsync<Reconnected>();
        await client.Client.GetRoomPresenceAsync("lobby");

        Assert.Equal(["lobby", "extra"], reconnected.Rooms);
        Assert.Equal(new[] { "extra", "lobby" }, client.Client.Rooms.Order());
        lock (secondConnection)
        {
            Assert.Equal(["join extra", "presence lobby"], secondConnection);
        }
    }

    [Fact]
    public async Task A_restored_room_the_client_left_while_reconnecting_is_left()
    {
        var drop = new TaskCompletionSource();
        var resumed = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var secondConnection = new List<string>();
        await using var gateway = await StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await AckJoinsAsync(connection, 2);
                await drop.Task;
                connection.Abort();
                return;
            }

            resumed.SetResult();
            await release.Task;
            await connection.SendAsync(Recovered(["lobby", "extra"], 0, complete: true));
            while (await connection.ReceiveAsync() is { } frame)
            {
                lock (secondConnection)
                {
                    secondConnection.Add($"{frame.GetProperty("type").GetString()} {Name(frame)}");
                }

                await Answer(connection, frame);
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.Client.JoinAsync("extra");

        drop.SetResult();
        await resumed.Task.WaitAsync(RecordingClient.DefaultTimeout);
        var leave = await Assert.ThrowsAsync<ChatException>(() => client.Client.LeaveAsync("extra"));
        release.SetResult();
        var reconnected = await client.ExpectAsync<Reconnected>();

        Assert.Equal(ChatErrorCodes.Disconnected, leave.Code);
        Assert.Equal(["lobby"], reconnected.Rooms);
        lock (secondConnection)
        {
            Assert.Equal(["leave extra"], secondConnection);
        }
    }

    [Fact]
    public async Task An_unknown_session_is_reported_incomplete_and_the_client_joins_its_rooms_and_starts_counting_again()
    {
        var drops = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        var secondConnection = new List<string>();
        await using var gateway = await StartAsync(async connection =>
        {
            switch (connection.Number)
            {
                case 1:
                    await AckJoinsAsync(connection, 1);
                    await connection.SendAsync(RoomMessage("old-40", 40));
                    await connection.SendAsync(DirectMessage("old-d9", 9));
                    await drops[0].Task;
                    connection.Abort();
                    return;
                case 2:
                    // The store lost the session and the streams: a fresh session, offsets from 1.
                    await connection.SendAsync(Recovered([], 0, complete: false));
                    var join = (await connection.ReceiveAsync())!.Value;
                    lock (secondConnection)
                    {
                        secondConnection.Add($"{join.GetProperty("type").GetString()} {Name(join)}");
                    }

                    await Answer(connection, join);
                    await connection.SendAsync(RoomMessage("new-1", 1));
                    await drops[1].Task;
                    connection.Abort();
                    return;
                default:
                    await connection.SendAsync(Recovered(["lobby"], 0, complete: true));
                    await connection.IgnoreAllAsync();
                    return;
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "old-d9");

        drops[0].SetResult();
        var recovered = await client.ExpectAsync<Recovered>();
        var reconnected = await client.ExpectAsync<Reconnected>();
        var fresh = await client.ExpectAsync<MessageReceived>(message => message.MessageId == "new-1");
        drops[1].SetResult();
        await client.ExpectAsync<Reconnected>();

        Assert.False(recovered.Complete);
        Assert.Empty(recovered.Rooms);
        Assert.Equal(0, recovered.Messages);
        Assert.Equal(["lobby"], reconnected.Rooms);
        lock (secondConnection)
        {
            Assert.Equal(["join lobby"], secondConnection);
        }

        Assert.Equal(1, fresh.Offset);
        var queries = gateway.Queries.ToArray();
        Assert.Equal(["user:alice:9", "room:lobby:40"], Since(queries[1]));
        Assert.Equal(FakeGateway.SessionOf(2), queries[2]["resume"].ToString());
        Assert.Equal(["room:lobby:1"], Since(queries[2]));
    }

    [Fact]
    public async Task A_connection_lost_before_its_resume_ended_is_given_up_and_the_next_attempt_resumes_it()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await StartAsync(async connection =>
        {
            switch (connection.Number)
            {
                case 1:
                    await AckJoinsAsync(connection, 1);
                    await drop.Task;
                    connection.Abort();
                    return;
                case 2:
                    // Welcomed, a message recovered, then gone before the recovered frame.
                    await connection.SendAsync(RoomMessage("m1", 1, recovered: true));
                    await Task.Delay(100);
                    connection.Abort();
                    return;
                default:
                    await connection.SendAsync(Recovered(["lobby"], 0, complete: true));
                    await connection.IgnoreAllAsync();
                    return;
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");

        drop.SetResult();
        var reconnected = await client.ExpectAsync<Reconnected>();

        Assert.Equal(3, gateway.Queries.Count);
        var third = gateway.Queries.ToArray()[2];
        Assert.Equal(FakeGateway.SessionOf(2), third["resume"].ToString());
        Assert.Equal(["room:lobby:1"], Since(third));
        Assert.Equal(["lobby"], reconnected.Rooms);
        var lastError = client.History.Select(entry => entry.Event).OfType<Reconnecting>().Last().LastError;
        Assert.Equal("the connection was lost while the gateway resumed it", lastError);
    }

    [Fact]
    public async Task A_gateway_that_never_ends_the_resume_fails_the_attempt_after_the_request_timeout()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await drop.Task;
                connection.Abort();
                return;
            }

            if (connection.Number == 3)
            {
                await connection.SendAsync(Recovered([], 0, complete: true));
            }

            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway, options => options.RequestTimeout = TimeSpan.FromMilliseconds(500))));

        drop.SetResult();
        await client.ExpectAsync<Reconnected>();

        var attempts = client.History.Select(entry => entry.Event).OfType<Reconnecting>().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal("the gateway did not finish resuming within 0.5 s", attempts[1].LastError);
    }

    [Fact]
    public async Task A_client_of_a_gateway_that_gives_no_session_reconnects_without_resuming_and_joins_its_rooms()
    {
        var drop = new TaskCompletionSource();
        var secondConnection = new List<string>();
        await using var gateway = await StartAsync(
            async connection =>
            {
                if (connection.Number == 1)
                {
                    await AckJoinsAsync(connection, 1);
                    await connection.SendAsync(RoomMessage("m1", 1));
                    await drop.Task;
                    connection.Abort();
                    return;
                }

                while (await connection.ReceiveAsync() is { } frame)
                {
                    lock (secondConnection)
                    {
                        secondConnection.Add($"{frame.GetProperty("type").GetString()} {Name(frame)}");
                    }

                    await Answer(connection, frame);
                }
            },
            sessions: false);
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.ExpectAsync<MessageReceived>();

        drop.SetResult();
        var reconnected = await client.ExpectAsync<Reconnected>();

        Assert.Equal(["lobby"], reconnected.Rooms);
        Assert.False(gateway.Queries.ToArray()[1].ContainsKey("resume"));
        Assert.False(gateway.Queries.ToArray()[1].ContainsKey("since"));
        Assert.DoesNotContain(client.History, entry => entry.Event is Recovered);
        lock (secondConnection)
        {
            Assert.Equal(["join lobby"], secondConnection);
        }
    }

    [Fact]
    public async Task A_room_the_client_left_is_not_named_in_the_next_resume()
    {
        var drop = new TaskCompletionSource();
        await using var gateway = await StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await AckJoinsAsync(connection, 2);
                await connection.SendAsync(RoomMessage("m1", 1));
                await connection.SendAsync(new { type = "message", message = "o5", from = new { user = "bob", connection = "b" }, to = new { room = "other" }, body = 1, ts = 1, stream = "room:other", offset = 5 });
                await AckJoinsAsync(connection, 1);
                await drop.Task;
                connection.Abort();
                return;
            }

            await connection.SendAsync(Recovered(["lobby"], 0, complete: true));
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.Client.JoinAsync("other");
        await client.ExpectAsync<MessageReceived>(message => message.MessageId == "o5");
        await client.Client.LeaveAsync("other");

        drop.SetResult();
        await client.ExpectAsync<Reconnected>();

        Assert.Equal(["room:lobby:1"], Since(gateway.Queries.ToArray()[1]));
    }

    private static string[] Since(Dictionary<string, StringValues> query) =>
        query.TryGetValue("since", out var since) ? [.. since.Select(entry => entry!)] : [];

    private static async Task<FakeGateway> StartAsync(Func<FakeConnection, Task> behaviour, bool sessions = true)
    {
        var gateway = await FakeGateway.StartAsync(behaviour);
        gateway.IssueSessions = sessions;
        return gateway;
    }

    /// <summary>Acks the next <paramref name="count"/> joins or leaves.</summary>
    private static async Task AckJoinsAsync(FakeConnection connection, int count)
    {
        for (var n = 0; n < count; n++)
        {
            await Answer(connection, (await connection.ReceiveAsync())!.Value);
        }
    }

    /// <summary>Acks a join or leave; answers a room presence question with nobody.</summary>
    private static Task Answer(FakeConnection connection, JsonElement frame)
    {
        var id = frame.GetProperty("id").GetString();
        var room = Name(frame);
        return frame.GetProperty("type").GetString() == "presence"
            ? connection.SendAsync(new { type = "presence", id, room, users = Array.Empty<string>() })
            : connection.SendAsync(new { type = "ack", id, room });
    }

    private static string? Name(JsonElement frame) => frame.TryGetProperty("room", out var room) ? room.GetString() : null;

    private static object RoomMessage(string id, long offset, bool recovered = false) => new
    {
        type = "message",
        message = id,
        from = new { user = "bob", connection = "b" },
        to = new { room = "lobby" },
        body = id,
        ts = 1_700_000_000_000,
        stream = "room:lobby",
        offset,
        recovered,
    };

    private static object DirectMessage(string id, long offset) => new
    {
        type = "message",
        message = id,
        from = new { user = "bob", connection = "b" },
        to = new { user = "alice" },
        body = id,
        ts = 1_700_000_000_000,
        stream = "user:alice",
        offset,
    };

    private static object Unstored(string id) => new
    {
        type = "message",
        message = id,
        from = new { user = "bob", connection = "b" },
        to = new { connection = "0000000000000001" },
        body = id,
        ts = 1_700_000_000_000,
    };

    private static object Recovered(string[] rooms, int messages, bool complete) => new { type = "recovered", rooms, messages, complete };

    private static ChatClientOptions Options(FakeGateway gateway, Action<ChatClientOptions>? configure = null)
    {
        var options = new ChatClientOptions
        {
            User = "alice",
            Urls = { gateway.Url },
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return options;
    }
}
