using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Contracts.Rooms;
using ChatPlatform.Presence.Registry;
using ChatPlatform.Testing;
using StackExchange.Redis;
using RegistryContents = ChatPlatform.Testing.Registry;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// The registry's scripts against a real Redis: what each operation writes, and what it publishes
/// on the change channel, read back with the contract's parser as a router reads it.
/// Redis is flushed before each test, so sequence numbers and expired leases are this test's own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RedisConnectionRegistryTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ShortTtl = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ClosedTtl = TimeSpan.FromMinutes(1);

    private ConnectionMultiplexer _inspection = null!;
    private ConnectionMultiplexer _presence = null!;
    private ChangeRecorder _changes = null!;
    private RedisConnectionRegistry _registry = null!;

    private IDatabase Database => _inspection.GetDatabase();

    public async Task InitializeAsync()
    {
        _inspection = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString + ",allowAdmin=true");
        await _inspection.GetServer("127.0.0.1", servers.Redis.Port).FlushDatabaseAsync();
        _presence = await servers.Redis.ConnectAsync();
        _registry = new RedisConnectionRegistry(_presence);
        _changes = await ChangeRecorder.StartAsync(servers.Redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _changes.DisposeAsync();
        _presence.Dispose();
        _inspection.Dispose();
    }

    [Fact]
    public async Task Register_writes_the_entry_and_publishes_one_added_change_with_the_next_sequence_number()
    {
        var (gateway, instance) = NewGateway();
        var connection = Names.Unique("conn");
        await PublishUnrelatedChangesAsync(3);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        var result = await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, "alice", 1), LongTtl);

        Assert.Equal(RegistrationResult.Registered, result);
        Assert.Equal("alice", await UserAsync(gateway, connection));
        Assert.Equal(instance, await InstanceAsync(gateway));
        AssertLeaseEndsIn(await LeaseAsync(gateway), LongTtl);
        await _changes.SyncAsync();
        var change = Assert.Single(_changes.Since(mark));
        Assert.Equal(new RegistryChange(before + 1, RegistryChangeKind.ConnectionAdded, gateway, connection, "alice"), change);
        Assert.Equal(before + 1, await SequenceAsync());
    }

    [Fact]
    public async Task Registering_the_same_connection_again_is_idempotent_and_publishes_nothing()
    {
        var (gateway, instance) = NewGateway();
        var request = new RegisterConnection(gateway, instance, Names.Unique("conn"), "alice", 1);
        Assert.Equal(RegistrationResult.Registered, await _registry.RegisterAsync(request, LongTtl));
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        Assert.Equal(RegistrationResult.Registered, await _registry.RegisterAsync(request, LongTtl));

        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
        Assert.Equal(before, await SequenceAsync());
        Assert.Equal(1, await RegistryContents.CountAsync(_inspection, gateway));
        Assert.Equal("alice", await UserAsync(gateway, request.ConnectionId));
    }

    [Fact]
    public async Task A_user_id_with_separators_and_other_characters_is_published_intact()
    {
        var (gateway, instance) = NewGateway();
        var connection = Names.Unique("conn");
        const string user = "name\nwith\nnewlines, spaces and ünïcödé\n";
        var mark = await _changes.MarkAsync();

        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, user, 1), LongTtl);
        await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, connection, user), ClosedTtl);

        await _changes.SyncAsync();
        Assert.Collection(
            _changes.Since(mark),
            added => Assert.Equal((RegistryChangeKind.ConnectionAdded, user), (added.Kind, added.UserId)),
            removed => Assert.Equal((RegistryChangeKind.ConnectionRemoved, user), (removed.Kind, removed.UserId)));
    }

    [Fact]
    public async Task Remove_deletes_the_entry_publishes_a_removed_change_and_marks_the_connection_closed()
    {
        var (gateway, instance) = NewGateway();
        var connection = Names.Unique("conn");
        var other = Names.Unique("conn");
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, "bob", 1), LongTtl);
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, other, "carol", 1), LongTtl);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        Assert.True(await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, connection, "bob"), ClosedTtl));

        Assert.Null(await UserAsync(gateway, connection));
        Assert.Equal("carol", await UserAsync(gateway, other));
        var marker = await Database.KeyTimeToLiveAsync(RedisNames.ClosedConnection(connection));
        Assert.NotNull(marker);
        Assert.InRange(marker.Value, ClosedTtl - TimeSpan.FromSeconds(10), ClosedTtl);
        await _changes.SyncAsync();
        var change = Assert.Single(_changes.Since(mark));
        Assert.Equal(new RegistryChange(before + 1, RegistryChangeKind.ConnectionRemoved, gateway, connection, "bob"), change);

        // A late (redelivered or slow) registration of the closed connection must not revive it.
        mark = await _changes.MarkAsync();
        var late = await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, "bob", 1), LongTtl);
        Assert.Equal(RegistrationResult.AlreadyClosed, late);
        Assert.Null(await UserAsync(gateway, connection));

        // Removing it again finds nothing and publishes nothing.
        Assert.False(await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, connection, "bob"), ClosedTtl));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
        Assert.Equal(before + 1, await SequenceAsync());
    }

    [Fact]
    public async Task A_leave_that_arrives_after_its_connection_closed_leaves_nothing_behind()
    {
        var (gateway, instance) = NewGateway();
        var connection = Names.Unique("conn");
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, "bob", 1), LongTtl);
        Assert.True(await _registry.JoinAsync(new JoinRoom(gateway, instance, connection, "bob", "lobby", 2)));
        Assert.True(await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, connection, "bob"), ClosedTtl));
        var mark = await _changes.MarkAsync();

        await _registry.LeaveAsync(new LeaveRoom(gateway, connection, "lobby", 3));

        Assert.False(await Database.KeyExistsAsync(RedisNames.ConnectionRooms(connection)));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
    }

    [Fact]
    public async Task A_close_that_overtakes_its_registration_is_not_published_and_the_registration_is_refused()
    {
        var (gateway, instance) = NewGateway();
        var connection = Names.Unique("conn");
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        Assert.False(await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, connection, "dave"), ClosedTtl));
        var result = await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, "dave", 1), LongTtl);

        Assert.Equal(RegistrationResult.AlreadyClosed, result);
        Assert.Null(await UserAsync(gateway, connection));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
        Assert.Equal(before, await SequenceAsync());
    }

    [Fact]
    public async Task A_registration_from_an_older_instance_is_refused_and_publishes_nothing()
    {
        var gateway = Names.Unique("gw");
        var now = DateTimeOffset.UtcNow;
        var older = Instance(now - TimeSpan.FromMinutes(1));
        var newer = Instance(now);
        var current = Names.Unique("conn");
        await _registry.RegisterAsync(new RegisterConnection(gateway, newer, current, "erin", 1), LongTtl);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        var result = await _registry.RegisterAsync(new RegisterConnection(gateway, older, Names.Unique("conn"), "frank", 1), LongTtl);

        Assert.Equal(RegistrationResult.StaleInstance, result);
        Assert.Equal(newer, await InstanceAsync(gateway));
        Assert.Equal(1, await RegistryContents.CountAsync(_inspection, gateway));
        Assert.Equal("erin", await UserAsync(gateway, current));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
        Assert.Equal(before, await SequenceAsync());
    }

    [Fact]
    public async Task A_newer_instance_replaces_the_older_one_and_publishes_gateway_removed_before_its_first_connection()
    {
        var gateway = Names.Unique("gw");
        var now = DateTimeOffset.UtcNow;
        var older = Instance(now - TimeSpan.FromSeconds(30));
        var newer = Instance(now);
        var (first, second, third) = (Names.Unique("conn"), Names.Unique("conn"), Names.Unique("conn"));
        await _registry.RegisterAsync(new RegisterConnection(gateway, older, first, "u1", 1), LongTtl);
        await _registry.RegisterAsync(new RegisterConnection(gateway, older, second, "u2", 1), LongTtl);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        var result = await _registry.RegisterAsync(new RegisterConnection(gateway, newer, third, "u3", 1), LongTtl);

        Assert.Equal(RegistrationResult.Registered, result);
        Assert.Equal(newer, await InstanceAsync(gateway));
        Assert.Null(await UserAsync(gateway, first));
        Assert.Null(await UserAsync(gateway, second));
        Assert.Equal("u3", await UserAsync(gateway, third));
        Assert.Equal(1, await RegistryContents.CountAsync(_inspection, gateway));
        await _changes.SyncAsync();
        Assert.Equal(
            [
                new RegistryChange(before + 1, RegistryChangeKind.GatewayRemoved, gateway, null, null),
                new RegistryChange(before + 2, RegistryChangeKind.ConnectionAdded, gateway, third, "u3"),
            ],
            _changes.Since(mark));

        // A late message from the replaced run cannot come back.
        Assert.Equal(
            RegistrationResult.StaleInstance,
            await _registry.RegisterAsync(new RegisterConnection(gateway, older, Names.Unique("conn"), "u4", 1), LongTtl));
    }

    [Fact]
    public async Task Heartbeat_extends_the_lease_and_returns_the_connection_count()
    {
        var (gateway, instance) = NewGateway();
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "a", 1), TimeSpan.FromSeconds(5));
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "b", 1), TimeSpan.FromSeconds(5));
        AssertLeaseEndsIn(await LeaseAsync(gateway), TimeSpan.FromSeconds(5));
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        var count = await _registry.RecordHeartbeatAsync(new RecordHeartbeat(gateway, instance, 2), LongTtl);

        Assert.Equal(2, count);
        AssertLeaseEndsIn(await LeaseAsync(gateway), LongTtl);
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
        Assert.Equal(before, await SequenceAsync());
    }

    [Fact]
    public async Task Heartbeat_from_an_older_instance_returns_null_and_changes_nothing()
    {
        var gateway = Names.Unique("gw");
        var now = DateTimeOffset.UtcNow;
        var older = Instance(now - TimeSpan.FromMinutes(1));
        var newer = Instance(now);
        var connection = Names.Unique("conn");
        await _registry.RegisterAsync(new RegisterConnection(gateway, newer, connection, "a", 1), TimeSpan.FromSeconds(5));
        var lease = await LeaseAsync(gateway);
        var mark = await _changes.MarkAsync();

        var count = await _registry.RecordHeartbeatAsync(new RecordHeartbeat(gateway, older, 7), LongTtl);

        Assert.Null(count);
        Assert.Equal(lease, await LeaseAsync(gateway));
        Assert.Equal(newer, await InstanceAsync(gateway));
        Assert.Equal("a", await UserAsync(gateway, connection));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
    }

    [Fact]
    public async Task Heartbeat_from_a_newer_instance_replaces_the_older_one()
    {
        var gateway = Names.Unique("gw");
        var now = DateTimeOffset.UtcNow;
        var older = Instance(now - TimeSpan.FromMinutes(1));
        var newer = Instance(now);
        await _registry.RegisterAsync(new RegisterConnection(gateway, older, Names.Unique("conn"), "a", 1), LongTtl);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        var count = await _registry.RecordHeartbeatAsync(new RecordHeartbeat(gateway, newer, 0), LongTtl);

        Assert.Equal(0, count);
        Assert.Equal(newer, await InstanceAsync(gateway));
        Assert.Equal(0, await RegistryContents.CountAsync(_inspection, gateway));
        await _changes.SyncAsync();
        Assert.Equal([new RegistryChange(before + 1, RegistryChangeKind.GatewayRemoved, gateway, null, null)], _changes.Since(mark));
    }

    [Fact]
    public async Task RemoveGateway_for_the_current_instance_deletes_everything_and_publishes_gateway_removed()
    {
        var (gateway, instance) = NewGateway();
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "a", 1), LongTtl);
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "b", 1), LongTtl);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        Assert.True(await _registry.RemoveGatewayAsync(gateway, instance));

        Assert.False(await Database.KeyExistsAsync(RedisNames.GatewayConnections(gateway)));
        Assert.Null(await InstanceAsync(gateway));
        Assert.Null(await LeaseAsync(gateway));
        await _changes.SyncAsync();
        Assert.Equal([new RegistryChange(before + 1, RegistryChangeKind.GatewayRemoved, gateway, null, null)], _changes.Since(mark));

        // Stopping twice (a redelivered message) finds nothing to do.
        mark = await _changes.MarkAsync();
        Assert.False(await _registry.RemoveGatewayAsync(gateway, instance));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
    }

    [Fact]
    public async Task RemoveGateway_for_another_instance_does_nothing()
    {
        var gateway = Names.Unique("gw");
        var now = DateTimeOffset.UtcNow;
        var current = Instance(now);
        await _registry.RegisterAsync(new RegisterConnection(gateway, current, Names.Unique("conn"), "a", 1), LongTtl);
        await _registry.RegisterAsync(new RegisterConnection(gateway, current, Names.Unique("conn"), "b", 1), LongTtl);
        var lease = await LeaseAsync(gateway);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        Assert.False(await _registry.RemoveGatewayAsync(gateway, Instance(now - TimeSpan.FromMinutes(1))));
        Assert.False(await _registry.RemoveGatewayAsync(gateway, Instance(now + TimeSpan.FromMinutes(1))));
        Assert.False(await _registry.RemoveGatewayAsync(Names.Unique("gw"), current));

        Assert.Equal(2, await RegistryContents.CountAsync(_inspection, gateway));
        Assert.Equal(current, await InstanceAsync(gateway));
        Assert.Equal(lease, await LeaseAsync(gateway));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
        Assert.Equal(before, await SequenceAsync());
    }

    [Fact]
    public async Task RemoveExpiredGateways_removes_only_gateways_whose_lease_expired()
    {
        var (expiredA, instanceA) = NewGateway();
        var (expiredB, instanceB) = NewGateway();
        var (live, liveInstance) = NewGateway();
        var (renewed, renewedInstance) = NewGateway();
        await _registry.RegisterAsync(new RegisterConnection(expiredA, instanceA, Names.Unique("conn"), "a1", 1), ShortTtl);
        await _registry.RegisterAsync(new RegisterConnection(expiredA, instanceA, Names.Unique("conn"), "a2", 1), ShortTtl);
        await _registry.RegisterAsync(new RegisterConnection(expiredB, instanceB, Names.Unique("conn"), "b1", 1), ShortTtl);
        await _registry.RegisterAsync(new RegisterConnection(live, liveInstance, Names.Unique("conn"), "l1", 1), LongTtl);
        await _registry.RegisterAsync(new RegisterConnection(renewed, renewedInstance, Names.Unique("conn"), "r1", 1), ShortTtl);
        Assert.Equal(1, await _registry.RecordHeartbeatAsync(new RecordHeartbeat(renewed, renewedInstance, 1), LongTtl));

        // Before the short lease ends, nothing is expired.
        Assert.Empty(await _registry.RemoveExpiredGatewaysAsync(100));
        await Task.Delay(ShortTtl * 2);
        var before = await SequenceAsync();
        var mark = await _changes.MarkAsync();

        var removed = await _registry.RemoveExpiredGatewaysAsync(100);

        Assert.Equal(new[] { expiredA, expiredB }.Order(), removed.Order());
        foreach (var gateway in new[] { expiredA, expiredB })
        {
            Assert.False(await Database.KeyExistsAsync(RedisNames.GatewayConnections(gateway)));
            Assert.Null(await InstanceAsync(gateway));
            Assert.Null(await LeaseAsync(gateway));
        }

        Assert.Equal(1, await RegistryContents.CountAsync(_inspection, live));
        Assert.Equal(1, await RegistryContents.CountAsync(_inspection, renewed));
        await _changes.SyncAsync();
        var changes = _changes.Since(mark);
        Assert.All(changes, change => Assert.Equal(RegistryChangeKind.GatewayRemoved, change.Kind));
        Assert.Equal([before + 1, before + 2], changes.Select(change => change.Sequence));
        Assert.Equal(removed, changes.Select(change => change.GatewayId));

        // The next pass has nothing to do.
        mark = await _changes.MarkAsync();
        Assert.Empty(await _registry.RemoveExpiredGatewaysAsync(100));
        await _changes.SyncAsync();
        Assert.Empty(_changes.Since(mark));
    }

    [Fact]
    public async Task RemoveExpiredGateways_removes_at_most_the_limit_per_call()
    {
        var gateways = Enumerable.Range(0, 5).Select(_ => NewGateway()).ToList();
        foreach (var (gateway, instance) in gateways)
        {
            await _registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "u", 1), ShortTtl);
        }

        await Task.Delay(ShortTtl * 2);

        var first = await _registry.RemoveExpiredGatewaysAsync(2);
        var second = await _registry.RemoveExpiredGatewaysAsync(2);
        var third = await _registry.RemoveExpiredGatewaysAsync(2);
        var fourth = await _registry.RemoveExpiredGatewaysAsync(2);

        Assert.Equal([2, 2, 1, 0], new[] { first.Count, second.Count, third.Count, fourth.Count });
        Assert.Equal(gateways.Select(gateway => gateway.Id).Order(), first.Concat(second).Concat(third).Order());
    }

    [Fact]
    public async Task Sequence_numbers_of_concurrent_operations_on_several_replicas_are_gap_free_and_in_publish_order()
    {
        const int gatewayCount = 10;
        const int connectionsPerGateway = 20;
        var replicas = new List<ConnectionMultiplexer>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                replicas.Add(await servers.Redis.ConnectAsync());
            }

            var registries = replicas.Select(replica => new RedisConnectionRegistry(replica)).ToList();
            var requests = Enumerable.Range(0, gatewayCount)
                .Select(_ => NewGateway())
                .SelectMany(gateway => Enumerable.Range(0, connectionsPerGateway)
                    .Select(i => new RegisterConnection(gateway.Id, gateway.Instance, Names.Unique("conn"), $"user-{i}", 1)))
                .ToList();
            var before = await SequenceAsync();
            var mark = await _changes.MarkAsync();

            // Every registration arrives twice, on two replicas at once, as a redelivery would.
            var registrations = await Task.WhenAll(requests
                .SelectMany((request, i) => new[] { registries[i % 4], registries[(i + 1) % 4] }
                    .Select(registry => Task.Run(() => registry.RegisterAsync(request, LongTtl)))));

            Assert.All(registrations, result => Assert.Equal(RegistrationResult.Registered, result));
            await _changes.SyncAsync();
            var added = _changes.Since(mark);
            Assert.Equal(requests.Count, added.Count);
            Assert.Equal(Enumerable.Range(1, requests.Count).Select(i => before + i), added.Select(change => change.Sequence));
            Assert.All(added, change => Assert.Equal(RegistryChangeKind.ConnectionAdded, change.Kind));
            Assert.Equal(
                requests.Select(request => (request.GatewayId, request.ConnectionId, request.UserId)).Order(),
                added.Select(change => (change.GatewayId, change.ConnectionId!, change.UserId!)).Order());

            mark = await _changes.MarkAsync();
            var removals = await Task.WhenAll(requests
                .SelectMany((request, i) => new[] { registries[(i + 2) % 4], registries[(i + 3) % 4] }
                    .Select(registry => Task.Run(() => registry.RemoveAsync(
                        new ConnectionClosed(request.GatewayId, request.GatewayInstance, request.ConnectionId, request.UserId), ClosedTtl)))));

            Assert.Equal(requests.Count, removals.Count(removed => removed));
            await _changes.SyncAsync();
            var removedChanges = _changes.Since(mark);
            Assert.Equal(
                Enumerable.Range(requests.Count + 1, requests.Count).Select(i => before + i),
                removedChanges.Select(change => change.Sequence));
            Assert.All(removedChanges, change => Assert.Equal(RegistryChangeKind.ConnectionRemoved, change.Kind));
            Assert.Equal(
                requests.Select(request => request.ConnectionId).Order(),
                removedChanges.Select(change => change.ConnectionId!).Order());
            Assert.Equal(before + (2 * requests.Count), await SequenceAsync());
        }
        finally
        {
            foreach (var replica in replicas)
            {
                replica.Dispose();
            }
        }
    }

    /// <summary>A gateway run as a gateway names it: a version-7 GUID, so instances sort by start time.</summary>
    private static string Instance(DateTimeOffset startedAt) => Guid.CreateVersion7(startedAt).ToString("N");

    private static (string Id, string Instance) NewGateway() => (Names.Unique("gw"), Instance(DateTimeOffset.UtcNow));

    private static void AssertLeaseEndsIn(double? lease, TimeSpan ttl)
    {
        Assert.NotNull(lease);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.InRange(lease.Value, now + ttl.TotalMilliseconds - 5000, now + ttl.TotalMilliseconds + 1000);
    }

    /// <summary>Moves the sequence on, so a test's first change is not number one by chance.</summary>
    private async Task PublishUnrelatedChangesAsync(int count)
    {
        var (gateway, instance) = NewGateway();
        for (var i = 0; i < count; i++)
        {
            await _registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "someone", 1), LongTtl);
        }
    }

    private async Task<long> SequenceAsync() => (long?)await Database.StringGetAsync(RedisNames.RegistrySequence) ?? 0;

    private async Task<string?> UserAsync(string gateway, string connection) =>
        await Database.HashGetAsync(RedisNames.GatewayConnections(gateway), connection);

    private async Task<string?> InstanceAsync(string gateway) =>
        await Database.HashGetAsync(RedisNames.GatewayInstances, gateway);

    private Task<double?> LeaseAsync(string gateway) => Database.SortedSetScoreAsync(RedisNames.GatewayLeases, gateway);
}
