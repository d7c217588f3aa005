using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Failover;

[Collection(DisruptionCollection.Name)]
public sealed class BackendFailureTests(DisruptionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// From Redis answering again to messages routing again: the clients reconnect within 2 s,
    /// routers take their shards within a lease round, and each gateway reports its connections
    /// 1 s after its subscription returns. Stated as 10 s.
    /// </summary>
    private static readonly TimeSpan RedisRecoveryBound = TimeSpan.FromSeconds(10);

    /// <summary>Two heartbeats (2 s apart) that disagree, then the report: stated as 10 s.</summary>
    private static readonly TimeSpan RegistryRepairBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long Redis stays frozen: longer than a command's timeout (5 s) and a router's lease
    /// (5 s), so sends fail and routers stop routing; shorter than a gateway's lease in the
    /// registry (10 s) less a heartbeat interval (2 s), so presence reaps no gateway.
    /// </summary>
    private static readonly TimeSpan RedisFreeze = TimeSpan.FromSeconds(6);

    /// <summary>How long the broker stays down: a restart, not a blip.</summary>
    private static readonly TimeSpan RabbitMqOutage = TimeSpan.FromSeconds(10);

    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Leave the stack whole for the next test, whatever happened here.
        await Task.WhenAll(Stack.Services.Select(service => service.WaitReadyAsync(TimeSpan.FromSeconds(90))));
    }

    [Fact]
    public async Task Sends_during_a_Redis_outage_are_answered_unavailable_and_routing_returns_once_Redis_is_back_empty()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);

        await Stack.Redis.KillAsync();
        for (var i = 0; i < 3; i++)
        {
            // Never silence: an error, quickly.
            var reply = await alice.SendAndWaitAsync(new { user = bob.User }, $"during {i}", TimeSpan.FromSeconds(15));
            Assert.Equal("unavailable", reply.GetProperty("code").GetString());
        }

        await Stack.Redis.StartAsync();

        // Redis came back empty: the gateways' reports put the registry back, then messages route.
        var back = await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", bob.ConnectionId)
                        && (await alice.SendAndWaitAsync(new { user = bob.User }, "after", TimeSpan.FromSeconds(15))).GetProperty("type").GetString() == "ack";
                }
                catch (StackExchange.Redis.RedisConnectionException)
                {
                    // The test's own connection to Redis is not back yet.
                    return false;
                }
            },
            RedisRecoveryBound,
            "bob is back in the registry and a direct message routes again");
        output.WriteLine($"direct messages route again {back.TotalMilliseconds:0} ms after Redis came back");

        // The registry, rooms included, was rebuilt from what the gateways hold, without joined events.
        Assert.Equal(1, (await alice.SendAndWaitAsync(new { room }, "room after")).GetProperty("recipients").GetInt32());
        Assert.Equal("\"room after\"", (await bob.ExpectAsync(frame => frame.GetProperty("type").GetString() == "message" && frame.GetProperty("to").TryGetProperty("room", out _), "the room message")).GetProperty("body").GetRawText());
        await bob.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "joined", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_send_while_Redis_is_frozen_is_answered_unavailable_and_routing_returns_after_the_thaw_with_nobody_gone()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);

        // A network cut without a close: every connection stays open, nothing answers.
        await Stack.Redis.PauseAsync();
        string sent;
        try
        {
            sent = await alice.SendMessageAsync(new { user = bob.User }, "during the freeze");
            await Task.Delay(RedisFreeze);
        }
        finally
        {
            await Stack.Redis.UnpauseAsync();
        }

        // Never silence: the publish times out (5 s) while Redis is frozen, or, if it was still
        // waiting at the thaw, no router answers for a shard it stopped routing.
        var reply = await alice.ReplyToAsync(sent, TimeSpan.FromSeconds(15));
        output.WriteLine($"answered {reply.GetRawText()}");
        Assert.Equal("unavailable", reply.GetProperty("code").GetString());

        var back = await Eventually.HoldsAsync(
            async () => (await alice.SendAndWaitAsync(new { user = bob.User }, "after", TimeSpan.FromSeconds(15))).GetProperty("type").GetString() == "ack",
            RedisRecoveryBound,
            "a direct message routes again");
        output.WriteLine($"direct messages route again {back.TotalMilliseconds:0} ms after the thaw");
        Assert.Equal(1, (await alice.SendAndWaitAsync(new { room }, "room after")).GetProperty("recipients").GetInt32());
        await bob.ExpectAsync(frame => frame.GetProperty("type").GetString() == "message" && frame.GetProperty("body").GetString() == "room after", "the room message");

        // Redis kept its data, and the freeze was shorter than a gateway's lease: nobody was reaped.
        Assert.DoesNotContain(bob.Pending(), frame => frame.GetProperty("type").GetString() == "left");

        // Redis may run the frozen publish at the thaw; a message answered "not sent" must still never arrive.
        if (reply.GetProperty("message").GetString()!.Contains("not sent", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(bob.Pending(), frame => frame.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String && body.GetString() == "during the freeze");
        }
    }

    [Fact]
    public async Task A_registry_wiped_under_live_gateways_is_rebuilt_from_their_reports()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);

        await Stack.Redis.FlushAllAsync();

        var rebuilt = await Eventually.HoldsAsync(
            async () => await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", bob.ConnectionId)
                && await fixture.Redis.GetDatabase().HashExistsAsync(Contracts.RedisNames.RoomMembers(room), bob.ConnectionId),
            RegistryRepairBound,
            "bob's connection and membership are back in the registry");
        output.WriteLine($"registry rebuilt {rebuilt.TotalMilliseconds:0} ms after the wipe");
        await Eventually.HoldsAsync(
            async () => (await alice.SendAndWaitAsync(new { room }, "hello again")).GetProperty("recipients").GetInt32() == 1,
            TimeSpan.FromSeconds(5),
            "the room routes to bob again");
    }

    [Fact]
    public async Task Chat_goes_on_through_a_RabbitMQ_restart_and_a_close_during_it_reaches_presence_afterwards()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        var carol = await Stack.ConnectAsync(1, Names.Unique("carol"));

        await Stack.RabbitMq.KillAsync();
        var down = Stopwatch.StartNew();
        try
        {
            // The data plane does not use RabbitMQ.
            Assert.Equal("ack", (await alice.SendAndWaitAsync(new { user = bob.User }, "still here")).GetProperty("type").GetString());

            // Carol leaves while presence cannot hear of it; new connections are refused meanwhile.
            await carol.CloseAsync();
            using var refused = new ClientWebSocket();
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(Stack.GatewayUri(0, Names.Unique("dave")), CancellationToken.None));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
        }
        finally
        {
            if (RabbitMqOutage > down.Elapsed)
            {
                await Task.Delay(RabbitMqOutage - down.Elapsed);
            }

            await Stack.RabbitMq.StartAsync();
        }

        var reported = await Eventually.HoldsAsync(
            async () => !await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", carol.ConnectionId),
            TimeSpan.FromSeconds(60),
            "carol's close reached presence");
        output.WriteLine($"the close during the outage was applied {reported.TotalMilliseconds:0} ms after RabbitMQ came back");

        var accepted = await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    await using var dave = await Stack.ConnectAsync(0, Names.Unique("dave"));
                    return true;
                }
                catch (WebSocketException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "new connections are accepted again");
        output.WriteLine($"new connections accepted {accepted.TotalMilliseconds:0} ms after that");
        await carol.DisposeAsync();
    }
}
