using System.Net.WebSockets;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Failover;

[Collection(DisruptionCollection.Name)]
public sealed class GatewayFailureTests(DisruptionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Presence:GatewayTtl + Presence:ReapInterval after the gateway's last heartbeat, which
    /// precedes the crash: a crashed gateway's connections are gone within 11 s.
    /// </summary>
    private static readonly TimeSpan CrashBound = TimeSpan.FromSeconds(11);

    /// <summary>A gateway exits within this of SIGTERM (measured: well under 2 s with one client).</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    /// <summary>Allowance for a loaded test machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in Stack.Gateways.Where(gateway => !gateway.IsRunning))
        {
            gateway.Start();
            await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task A_killed_gateways_connections_leave_the_registry_within_the_bound()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        var bobElsewhere = await Stack.ConnectAsync(1, Names.Unique("carol"));
        Assert.True(await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", bob.ConnectionId));

        await Stack.Gateways[1].KillAsync();
        var gone = await Eventually.HoldsAsync(
            async () => await Testing.Registry.CountAsync(fixture.Redis, "gateway-2") == 0,
            CrashBound + Slack,
            "gateway-2's connections left the registry");
        output.WriteLine($"registry cleared {gone.TotalMilliseconds:0} ms after the kill");

        // Stored for bob, who can resume his session on another gateway: once presence has purged
        // the retired connections, which ends their sessions (a moment after they leave the registry).
        await Eventually.HoldsAsync(
            () => fixture.Redis.GetDatabase().KeyExistsAsync(Contracts.RedisNames.Resumable(bob.User)),
            Slack,
            "bob's session became resumable");
        var reply = await alice.SendAndWaitAsync(new { user = bob.User }, "still there?");
        Assert.Equal(("ack", 0, true), (reply.GetProperty("type").GetString(), reply.GetProperty("recipients").GetInt32(), reply.GetProperty("stored").GetBoolean()));
        await bob.DisposeAsync();
        await bobElsewhere.DisposeAsync();
    }

    [Fact]
    public async Task A_stopping_gateway_says_going_away_and_its_connections_leave_the_registry_at_once()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));

        // Drains its clients (1001) within twice the close timeout, then reports itself stopped.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await Stack.Gateways[1].StopAsync(StopBound);
        output.WriteLine($"gateway-2 exited {stopping.ElapsedMilliseconds} ms after SIGTERM");

        await bob.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, bob.CloseStatus);
        await Eventually.HoldsAsync(
            async () => await Testing.Registry.CountAsync(fixture.Redis, "gateway-2") == 0,
            TimeSpan.FromSeconds(3),
            "gateway-2's connections left the registry");
        var reply = await alice.SendAndWaitAsync(new { user = bob.User }, "hello?");
        Assert.Equal(("ack", 0, true), (reply.GetProperty("type").GetString(), reply.GetProperty("recipients").GetInt32(), reply.GetProperty("stored").GetBoolean()));
    }

    [Fact]
    public async Task A_restarted_gateway_takes_new_connections_and_routes_again()
    {
        await Stack.Gateways[1].KillAsync();
        Stack.Gateways[1].Start();
        await Stack.Gateways[1].WaitReadyAsync(TimeSpan.FromSeconds(60));

        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        var ack = await alice.SendAndWaitAsync(new { user = bob.User }, "welcome back");

        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
        Assert.Equal("\"welcome back\"", (await bob.ExpectAsync("message")).GetProperty("body").GetRawText());
    }

    [Fact]
    public async Task A_killed_gateways_users_leave_their_rooms_within_the_bound()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await Rooms.RoomTests.JoinAsync(alice, room);
        await Rooms.RoomTests.JoinAsync(bob, room);
        await alice.ExpectAsync("joined");

        await Stack.Gateways[1].KillAsync();
        var killedAt = DateTime.UtcNow;
        var left = await alice.ExpectAsync("left", CrashBound + Slack);
        output.WriteLine($"'left' arrived {(DateTime.UtcNow - killedAt).TotalMilliseconds:0} ms after the kill");

        Assert.Equal(Rooms.RoomTests.Event("left", room, bob.User), left.GetRawText());
        Assert.Equal(0, (await alice.SendAndWaitAsync(new { room }, "alone now")).GetProperty("recipients").GetInt32());
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task Sending_to_everyone_is_forbidden_where_the_setting_is_off()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));

        var reply = await alice.SendAndWaitAsync(new { everyone = true }, "hello all");

        Assert.Equal("forbidden", reply.GetProperty("code").GetString());
        Assert.Equal("sending to everyone is turned off on this server", reply.GetProperty("message").GetString());
        await bob.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "message", TimeSpan.FromMilliseconds(300));
    }
}
