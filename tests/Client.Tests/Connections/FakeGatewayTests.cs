using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;

namespace ChatPlatform.Client.Tests.Connections;

/// <summary>The client against a scripted gateway: what the real one does rarely or never.</summary>
public sealed class FakeGatewayTests
{
    [Fact]
    public async Task A_call_without_an_answer_fails_with_timeout_and_the_connection_lives_on()
    {
        await using var gateway = await FakeGateway.StartAsync(connection => connection.IgnoreAllAsync());
        var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway, options => options.RequestTimeout = TimeSpan.FromMilliseconds(300))));

        var waited = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ChatException>(() => client.Client.GetUserPresenceAsync("bob"));

        Assert.Equal(ChatErrorCodes.Timeout, error.Code);
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        Assert.Equal(ChatConnectionState.Connected, client.Client.State);

        await client.DisposeAsync();
        var last = Assert.IsType<Disconnected>(client.History[^1].Event);
        Assert.False(last.WillReconnect);
        Assert.True(client.Ended.IsCompleted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.Client.JoinAsync("lobby"));
    }

    [Fact]
    public async Task Answers_are_matched_to_their_calls_by_id_whatever_their_order()
    {
        var bodies = new List<int>();
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            var ids = new List<string>();
            for (var n = 0; n < 3; n++)
            {
                var frame = (await connection.ReceiveAsync())!.Value;
                ids.Add(frame.GetProperty("id").GetString()!);
                bodies.Add(frame.GetProperty("body").GetInt32());
            }

            foreach (var id in Enumerable.Reverse(ids))
            {
                await connection.SendAsync(new { type = "ack", id, message = $"m-{id}", recipients = int.Parse(id) });
            }

            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(n => client.Client.SendToUserAsync("bob", n)));

        Assert.Equal([0, 1, 2], bodies);
        Assert.All(results, result => Assert.Equal($"m-{result.Recipients}", result.MessageId));
        Assert.Equal(3, results.Select(result => result.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Calls_in_flight_fail_with_disconnected_as_soon_as_the_connection_drops()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            await connection.ReceiveAsync();
            await Task.Delay(200);
            connection.Abort();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway, options => options.Reconnect = false)));

        var waited = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ChatException>(() => client.Client.SendToRoomAsync("lobby", "hi"));

        Assert.Equal(ChatErrorCodes.Disconnected, error.Code);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(3), $"took {waited.Elapsed}");
        Assert.False((await client.ExpectAsync<Disconnected>()).WillReconnect);
        await client.Ended.WaitAsync(RecordingClient.DefaultTimeout);
        Assert.Equal(ChatConnectionState.Closed, client.Client.State);
        Assert.Equal(ChatErrorCodes.Disconnected, (await Assert.ThrowsAsync<ChatException>(() => client.Client.JoinAsync("lobby"))).Code);
    }

    [Fact]
    public async Task A_token_goes_in_a_bearer_header_and_a_refused_one_fails_with_unauthorized()
    {
        await using var gateway = await FakeGateway.StartAsync(connection => connection.IgnoreAllAsync());
        gateway.Refuse = (_, authorization) => authorization == "Bearer good" ? null : 401;

        await using (await ChatClient.ConnectAsync(Options(gateway, options => (options.User, options.Token) = (null, "good"))))
        {
            Assert.Equal("Bearer good", Assert.Single(gateway.Authorizations));
        }

        var error = await Assert.ThrowsAsync<ChatException>(() => ChatClient.ConnectAsync(Options(gateway, options => (options.User, options.Token) = (null, "forged"))));
        Assert.Equal(ChatErrorCodes.Unauthorized, error.Code);
        Assert.Contains("HTTP 401", error.Message);
    }

    [Fact]
    public async Task After_a_close_for_an_expired_token_the_client_reconnects_with_a_fresh_one_from_its_provider()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "token expired");
            }

            await connection.IgnoreAllAsync();
        });
        var issued = 0;
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway, options =>
        {
            options.User = null;
            options.TokenProvider = _ => ValueTask.FromResult($"token-{Interlocked.Increment(ref issued)}");
        })));

        var disconnected = await client.ExpectAsync<Disconnected>();
        await client.ExpectAsync<Reconnected>();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, disconnected.CloseStatus);
        Assert.Equal("token expired", disconnected.CloseDescription);
        Assert.True(disconnected.WillReconnect);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], gateway.Authorizations);
    }

    [Fact]
    public async Task A_fixed_token_refused_on_reconnect_stops_the_client()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "token expired");
            await connection.IgnoreAllAsync();
        });
        gateway.Refuse = (number, _) => number > 1 ? 401 : null;
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway, options => (options.User, options.Token) = (null, "expired"))));

        await client.Ended.WaitAsync(RecordingClient.DefaultTimeout);

        var last = Assert.IsType<Disconnected>(client.History[^1].Event);
        Assert.False(last.WillReconnect);
        Assert.Contains("HTTP 401", last.Reason);
        Assert.Equal(2, gateway.Authorizations.Count);
        Assert.Equal(ChatConnectionState.Closed, client.Client.State);
    }

    [Fact]
    public async Task A_close_for_breaking_the_protocol_is_not_followed_by_a_reconnect()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            await connection.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "binary frames are not supported");
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        await client.Ended.WaitAsync(RecordingClient.DefaultTimeout);
        await Task.Delay(300);

        var last = Assert.IsType<Disconnected>(client.History[^1].Event);
        Assert.False(last.WillReconnect);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, last.CloseStatus);
        Assert.Single(gateway.Authorizations);
    }

    [Fact]
    public async Task A_room_the_gateway_refuses_on_rejoin_is_reported_and_dropped_and_the_rest_are_joined()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            var joins = 0;
            while (await connection.ReceiveAsync() is { } frame)
            {
                var id = frame.GetProperty("id").GetString();
                var room = frame.GetProperty("room").GetString();
                if (connection.Number > 1 && room == "secret")
                {
                    await connection.SendAsync(new { type = "error", id, code = "forbidden", message = "not in your token" });
                    continue;
                }

                await connection.SendAsync(new { type = "ack", id, room });
                if (connection.Number == 1 && ++joins == 2)
                {
                    await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
                }
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.Client.JoinAsync("secret");

        var failed = await client.ExpectAsync<RejoinFailed>();
        var reconnected = await client.ExpectAsync<Reconnected>();

        Assert.Equal(new RejoinFailed("secret", ChatErrorCodes.Forbidden, "not in your token"), failed);
        Assert.Equal(["lobby"], reconnected.Rooms);
        Assert.Equal(["lobby"], client.Client.Rooms);
    }

    [Fact]
    public async Task Joins_and_leaves_made_while_the_rooms_are_being_rejoined_are_carried_out_before_the_client_is_back()
    {
        var rejoining = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        var secondConnection = new List<string>();
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            while (await connection.ReceiveAsync() is { } frame)
            {
                var id = frame.GetProperty("id").GetString();
                var type = frame.GetProperty("type").GetString();
                var room = frame.GetProperty("room").GetString()!;
                if (connection.Number == 1)
                {
                    await connection.SendAsync(new { type = "ack", id, room });
                    await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
                    continue;
                }

                lock (secondConnection)
                {
                    secondConnection.Add($"{type} {room}");
                }

                if (rejoining.TrySetResult(room))
                {
                    // Holds the first rejoin while the test joins and leaves.
                    await release.Task;
                }

                await connection.SendAsync(new { type = "ack", id, room });
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");

        Assert.Equal("lobby", await rejoining.Task.WaitAsync(RecordingClient.DefaultTimeout));
        var join = await Assert.ThrowsAsync<ChatException>(() => client.Client.JoinAsync("extra"));
        var leave = await Assert.ThrowsAsync<ChatException>(() => client.Client.LeaveAsync("lobby"));
        release.SetResult();
        var reconnected = await client.ExpectAsync<Reconnected>();

        Assert.Equal(ChatErrorCodes.Disconnected, join.Code);
        Assert.Equal(ChatErrorCodes.Disconnected, leave.Code);
        Assert.Equal(["extra"], reconnected.Rooms);
        Assert.Equal(["extra"], client.Client.Rooms);
        lock (secondConnection)
        {
            Assert.Equal(["join lobby", "join extra", "leave lobby"], secondConnection);
        }
    }

    [Fact]
    public async Task A_join_that_times_out_stays_in_the_rooms_since_it_may_have_taken_effect()
    {
        await using var gateway = await FakeGateway.StartAsync(connection => connection.IgnoreAllAsync());
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway, options => options.RequestTimeout = TimeSpan.FromMilliseconds(300))));

        var error = await Assert.ThrowsAsync<ChatException>(() => client.Client.JoinAsync("lobby"));

        Assert.Equal(ChatErrorCodes.Timeout, error.Code);
        Assert.Equal(["lobby"], client.Client.Rooms);
    }

    [Fact]
    public async Task A_message_with_an_impossible_timestamp_is_skipped_and_the_connection_lives_on()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            var from = new { user = "bob", connection = "b" };
            var to = new { user = "alice" };
            await connection.SendAsync(new { type = "message", message = "m-1", from, to, body = 1, ts = 1e20 });
            await connection.SendAsync(new { type = "message", message = "m-2", from, to, body = 2, ts = 9_000_000_000_000_000_000 });
            await connection.SendAsync(new { type = "message", message = "m-3", from, to, body = 3, ts = 1_700_000_000_000 });
            await connection.IgnoreAllAsync();
        });
        var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        var received = await client.ExpectAsync<MessageReceived>();

        Assert.Equal("m-3", received.MessageId);
        Assert.Equal(ChatConnectionState.Connected, client.Client.State);
        Assert.DoesNotContain(client.History, entry => entry.Event is Disconnected);
        await client.DisposeAsync().AsTask().WaitAsync(RecordingClient.DefaultTimeout);
        Assert.Single(gateway.Authorizations);
    }

    [Fact]
    public async Task A_message_a_backend_published_arrives_with_its_system_sender_and_no_user()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            await connection.SendAsync(new { type = "message", message = "m-1", from = new { system = "billing" }, to = new { user = "alice" }, body = new { text = "Your invoice is ready" }, ts = 1_733_577_600_000, stream = "user:alice", offset = 7 });
            await connection.SendAsync(new { type = "message", message = "m-2", from = new { user = "bob", connection = "b" }, to = new { user = "alice" }, body = "hi", ts = 1_733_577_600_001, stream = "user:alice", offset = 8 });
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        var fromBackend = await client.ExpectAsync<MessageReceived>();
        var fromUser = await client.ExpectAsync<MessageReceived>();

        Assert.Equal(("m-1", "billing", null, null), (fromBackend.MessageId, fromBackend.FromSystem, fromBackend.FromUser, fromBackend.FromConnection));
        Assert.Equal("Your invoice is ready", fromBackend.Body.GetProperty("text").GetString());
        Assert.Equal(("m-2", null, "bob"), (fromUser.MessageId, fromUser.FromSystem, fromUser.FromUser));
    }

    [Fact]
    public async Task After_a_close_with_4000_disconnected_by_the_server_the_client_stops_and_says_why()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            await connection.CloseAsync((WebSocketCloseStatus)4000, "account suspended");
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        await client.Ended.WaitAsync(RecordingClient.DefaultTimeout);
        await Task.Delay(300);

        var last = Assert.IsType<Disconnected>(client.History[^1].Event);
        Assert.False(last.WillReconnect);
        Assert.True(last.ByServer);
        Assert.Equal(((WebSocketCloseStatus)4000, "account suspended"), (last.CloseStatus, last.CloseDescription));
        Assert.Equal("disconnected by the server: account suspended", last.Reason);
        Assert.DoesNotContain(client.History, entry => entry.Event is Reconnecting);
        Assert.Equal(ChatConnectionState.Closed, client.Client.State);
        Assert.Single(gateway.Authorizations);
    }

    [Fact]
    public async Task A_connection_a_backend_took_out_of_a_room_drops_the_room_and_does_not_join_it_again_after_a_reconnect()
    {
        var removalSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondConnection = new List<string>();
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            while (await connection.ReceiveAsync() is { } frame)
            {
                var id = frame.GetProperty("id").GetString();
                var room = frame.GetProperty("room").GetString()!;
                if (connection.Number > 1)
                {
                    lock (secondConnection)
                    {
                        secondConnection.Add(room);
                    }
                }

                await connection.SendAsync(new { type = "ack", id, room });
                if (connection.Number == 1 && room == "ops")
                {
                    // Someone else leaving changes nothing; this connection being taken out of lobby does.
                    await connection.SendAsync(new { type = "left", room = "ops", user = "bob" });
                    await connection.SendAsync(new { type = "left", room = "lobby", user = "alice" });
                    await removalSeen.Task;
                    await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
                }
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));
        await client.Client.JoinAsync("lobby");
        await client.Client.JoinAsync("ops");

        Assert.Equal(new UserLeft("ops", "bob"), await client.ExpectAsync<UserLeft>());
        Assert.Equal(new UserLeft("lobby", "alice"), await client.ExpectAsync<UserLeft>());
        Assert.Equal(["ops"], client.Client.Rooms);
        removalSeen.SetResult();
        var reconnected = await client.ExpectAsync<Reconnected>();

        Assert.Equal(["ops"], reconnected.Rooms);
        Assert.Equal(["ops"], client.Client.Rooms);
        lock (secondConnection)
        {
            Assert.Equal(["ops"], secondConnection);
        }
    }

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
