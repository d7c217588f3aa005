using System.Diagnostics;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;
using RegistryContents = ChatPlatform.Testing.Registry;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// The presence service in-process, as Program registers it, driven over RabbitMQ by a bus of
/// the gateway's own; the results are read from Redis and from the registry change channel.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PresenceBusTests(ServersFixture servers, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private ConnectionMultiplexer _redis = null!;
    private ChangeRecorder _changes = null!;
    private GatewayBus _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = await servers.Redis.ConnectAsync();
        _changes = await ChangeRecorder.StartAsync(servers.Redis.ConnectionString);
        _gateway = await GatewayBus.StartAsync(servers.RabbitMq);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _changes.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task RegisterConnection_is_accepted_once_the_entry_is_in_Redis_and_published()
    {
        await using var presence = await PresenceHost.StartAsync(servers.Redis, servers.RabbitMq, Names.Unique("register"));
        var (gateway, instance) = NewGateway(DateTimeOffset.UtcNow);
        var connection = Names.Unique("conn");
        var mark = await _changes.MarkAsync();

        var response = await _gateway.RegisterAsync(new RegisterConnection(gateway, instance, connection, "alice", 1));

        Assert.Equal(new ConnectionRegistered(connection, Accepted: true), response);

        // The response follows the write and the publish, so both are visible now.
        Assert.True(await RegistryContents.ContainsAsync(_redis, gateway, connection));
        Assert.Equal("alice", (string?)await _redis.GetDatabase().HashGetAsync(RedisNames.GatewayConnections(gateway), connection));
        await _changes.SyncAsync();
        var added = Assert.Single(_changes.Since(mark), change => change.GatewayId == gateway);
        Assert.Equal((RegistryChangeKind.ConnectionAdded, connection, "alice"), (added.Kind, added.ConnectionId, added.UserId));
    }

    [Fact]
    public async Task RegisterConnection_from_a_replaced_instance_is_not_accepted()
    {
        await using var presence = await PresenceHost.StartAsync(servers.Redis, servers.RabbitMq, Names.Unique("stale"));
        var now = DateTimeOffset.UtcNow;
        var (gateway, newer) = NewGateway(now);
        var older = Guid.CreateVersion7(now - TimeSpan.FromMinutes(1)).ToString("N");
        Assert.True((await _gateway.RegisterAsync(new RegisterConnection(gateway, newer, Names.Unique("conn"), "a", 1))).Accepted);
        var connection = Names.Unique("conn");

        var response = await _gateway.RegisterAsync(new RegisterConnection(gateway, older, connection, "b", 1));

        Assert.Equal(new ConnectionRegistered(connection, Accepted: false), response);
        Assert.False(await RegistryContents.ContainsAsync(_redis, gateway, connection));
    }

    [Fact]
    public async Task ConnectionClosed_removes_the_entry_and_a_late_registration_is_not_accepted()
    {
        await using var presence = await PresenceHost.StartAsync(servers.Redis, servers.RabbitMq, Names.Unique("closed"));
        var (gateway, instance) = NewGateway(DateTimeOffset.UtcNow);
        var connection = Names.Unique("conn");
        var other = Names.Unique("conn");
        Assert.True((await _gateway.RegisterAsync(new RegisterConnection(gateway, instance, connection, "bob", 1))).Accepted);
        Assert.True((await _gateway.RegisterAsync(new RegisterConnection(gateway, instance, other, "carol", 1))).Accepted);
        var mark = await _changes.MarkAsync();

        await _gateway.PublishAsync(new ConnectionClosed(gateway, instance, connection, "bob"));

        var removed = await _changes.WaitForAsync(
            mark, change => change.GatewayId == gateway, Wait, "a change for the gateway after ConnectionClosed");
        Assert.Equal((RegistryChangeKind.ConnectionRemoved, connection, "bob"), (removed.Kind, removed.ConnectionId, removed.UserId));
        Assert.False(await RegistryContents.ContainsAsync(_redis, gateway, connection));
        Assert.True(await RegistryContents.ContainsAsync(_redis, gateway, other));

        var late = await _gateway.RegisterAsync(new RegisterConnection(gateway, instance, connection, "bob", 1));
        Assert.False(late.Accepted);
        Assert.False(await RegistryContents.ContainsAsync(_redis, gateway, connection));
    }

    [Fact]
    public async Task GatewayStopped_removes_every_entry_of_the_gateway()
    {
        await using var presence = await PresenceHost.StartAsync(servers.Redis, servers.RabbitMq, Names.Unique("stopped"));
        var now = DateTimeOffset.UtcNow;
        var (gateway, instance) = NewGateway(now);
        var (bystander, bystanderInstance) = NewGateway(now);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await _gateway.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), $"user-{i}", 1))).Accepted);
        }

        Assert.True((await _gateway.RegisterAsync(new RegisterConnection(bystander, bystanderInstance, Names.Unique("conn"), "x", 1))).Accepted);
        var mark = await _changes.MarkAsync();

        await _gateway.PublishAsync(new GatewayStopped(gateway, instance));

        var change = await _changes.WaitForAsync(
            mark, change => change.GatewayId == gateway, Wait, "a change for the gateway after GatewayStopped");
        Assert.Equal(RegistryChangeKind.GatewayRemoved, change.Kind);
        Assert.Equal(0, await RegistryContents.CountAsync(_redis, gateway));
        Assert.False(await _redis.GetDatabase().HashExistsAsync(RedisNames.GatewayInstances, gateway));
        Assert.Equal(1, await RegistryContents.CountAsync(_redis, bystander));
    }

    [Fact]
    public async Task Heartbeats_keep_a_gateway_past_its_ttl_and_the_reaper_removes_it_once_they_stop()
    {
        var ttl = TimeSpan.FromSeconds(2);
        var reapInterval = TimeSpan.FromMilliseconds(200);
        var heartbeatInterval = TimeSpan.FromMilliseconds(400);
        await using var presence = await PresenceHost.StartAsync(servers.Redis, servers.RabbitMq, Names.Unique("reaper"), new Dictionary<string, string?>
        {
            ["Presence:GatewayTtl"] = ttl.ToString(),
            ["Presence:ReapInterval"] = reapInterval.ToString(),
        });
        var now = DateTimeOffset.UtcNow;
        var (alive, aliveInstance) = NewGateway(now);
        var (silent, silentInstance) = NewGateway(now);
        var aliveConnection = Names.Unique("conn");
        var mark = await _changes.MarkAsync();
        Assert.True((await _gateway.RegisterAsync(new RegisterConnection(alive, aliveInstance, aliveConnection, "a", 1))).Accepted);
        Assert.True((await _gateway.RegisterAsync(new RegisterConnection(silent, silentInstance, Names.Unique("conn"), "s", 1))).Accepted);
        var registered = Stopwatch.StartNew();

        using var stopHeartbeats = new CancellationTokenSource();
        var lastHeartbeat = Stopwatch.StartNew();
        var heartbeats = Task.Run(async () =>
        {
            // Bounded in count as well as by the token: 100 beats are far more than the test needs.
            for (var beat = 0; beat < 100 && !stopHeartbeats.IsCancellationRequested; beat++)
            {
                var answer = await _gateway.RequestAsync<RecordHeartbeat, HeartbeatRecorded>(new RecordHeartbeat(alive, aliveInstance, 1));
                Assert.Equal(new HeartbeatRecorded(true, 1), answer);
                lastHeartbeat.Restart();
                try
                {
                    await Task.Delay(heartbeatInterval, stopHeartbeats.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // The reaper starts one ttl after the bus is healthy, then removes the silent gateway.
        var silentRemoved = await Eventually.HoldsAsync(
            async () => await RegistryContents.CountAsync(_redis, silent) == 0,
            (2 * ttl) + TimeSpan.FromSeconds(3),
            $"the reaper removes the gateway that sends no heartbeats (log: {presence.LogPath})");
        output.WriteLine($"Silent gateway removed {registered.Elapsed.TotalSeconds:F2} s after it registered (found after {silentRemoved.TotalSeconds:F2} s of polling)");
        await _changes.WaitForAsync(
            mark, change => change.GatewayId == silent && change.Kind == RegistryChangeKind.GatewayRemoved, Wait, "the silent gateway's removal is published");

        // The reaper is running; the gateway that beats stays, for more than another ttl.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < ttl + TimeSpan.FromSeconds(1))
        {
            Assert.True(
                await RegistryContents.ContainsAsync(_redis, alive, aliveConnection),
                $"The gateway with heartbeats was removed {registered.Elapsed.TotalSeconds:F2} s after it registered (log: {presence.LogPath})");
            await Task.Delay(100);
        }

        Assert.True(registered.Elapsed > 2 * ttl, $"Checked only until {registered.Elapsed} after it registered, not past two ttls");
        Assert.False(heartbeats.IsFaulted, heartbeats.Exception?.ToString());

        await stopHeartbeats.CancelAsync();
        await heartbeats.WaitAsync(TimeSpan.FromSeconds(15));
        var sinceLastHeartbeat = Stopwatch.StartNew();
        var sentBeforeStop = lastHeartbeat.Elapsed;
        await Eventually.HoldsAsync(
            async () => !await RegistryContents.ContainsAsync(_redis, alive, aliveConnection),
            ttl + reapInterval + TimeSpan.FromSeconds(5),
            $"the reaper removes the gateway once its heartbeats stop (log: {presence.LogPath})");
        var removedAfter = sentBeforeStop + sinceLastHeartbeat.Elapsed;
        output.WriteLine($"Gateway removed {removedAfter.TotalSeconds:F2} s after its last heartbeat (ttl {ttl.TotalSeconds} s, reap interval {reapInterval.TotalMilliseconds} ms)");

        // Not before its lease from the last heartbeat ran out, and within a reap interval after
        // it (plus slack for the heartbeat's trip through the broker and the polling here).
        Assert.InRange(removedAfter, ttl - TimeSpan.FromMilliseconds(100), ttl + reapInterval + TimeSpan.FromSeconds(1));
        await _changes.WaitForAsync(
            mark, change => change.GatewayId == alive && change.Kind == RegistryChangeKind.GatewayRemoved, Wait, "the gateway's removal is published");
        Assert.False(await _redis.GetDatabase().HashExistsAsync(RedisNames.GatewayInstances, alive));
    }

    private static (string Id, string Instance) NewGateway(DateTimeOffset startedAt) =>
        (Names.Unique("gw"), Guid.CreateVersion7(startedAt).ToString("N"));
}
