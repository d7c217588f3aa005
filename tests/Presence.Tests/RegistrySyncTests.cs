using System.Collections.Concurrent;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Contracts.Rooms;
using ChatPlatform.Presence.Registry;
using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// Reconciling a gateway's report with the registry, against a real Redis: what comes back,
/// what goes, what is announced to room members and what is published for routers.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RegistrySyncTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    private ConnectionMultiplexer _inspection = null!;
    private ConnectionMultiplexer _presence = null!;
    private ChangeRecorder _changes = null!;
    private RedisConnectionRegistry _registry = null!;
    private readonly ConcurrentQueue<(string Gateway, MembershipEvent Event)> _announcements = new();

    private IDatabase Database => _inspection.GetDatabase();

    public async Task InitializeAsync()
    {
        _inspection = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString + ",allowAdmin=true");
        await _inspection.GetServer("127.0.0.1", servers.Redis.Port).FlushDatabaseAsync();
        _presence = await servers.Redis.ConnectAsync();
        _registry = new RedisConnectionRegistry(_presence);
        _changes = await ChangeRecorder.StartAsync(servers.Redis.ConnectionString);

        // Every membership event presence sends to any gateway.
        await _inspection.GetSubscriber().SubscribeAsync(new RedisChannel(RedisNames.GatewayChannelPrefix + "*", RedisChannel.PatternMode.Pattern), (channel, payload) =>
        {
            var bytes = (byte[])payload!;
            if (DataPlaneCodec.PeekKind(bytes) == PayloadKind.Membership)
            {
                _announcements.Enqueue((((string)channel!)[RedisNames.GatewayChannelPrefix.Length..], DataPlaneCodec.DecodeMembership(bytes)));
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _changes.DisposeAsync();
        _presence.Dispose();
        _inspection.Dispose();
    }

    [Fact]
    public async Task A_report_after_Redis_lost_everything_restores_connections_and_memberships_without_announcing_them()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1, "lobby");
        await RegisterAsync(gateway, instance, "b", "bob", 2);
        await _inspection.GetServer("127.0.0.1", servers.Redis.Port).FlushDatabaseAsync();
        var (other, otherInstance) = NewGateway();
        await RegisterAsync(other, otherInstance, "c", "carol", 1, "lobby");
        await _changes.SyncAsync();
        var mark = await _changes.MarkAsync();
        _announcements.Clear();

        var result = await _registry.SyncAsync(Report(gateway, instance, 2, ("a", "alice", 1, ["lobby"]), ("b", "bob", 2, [])), Ttl, Ttl);

        Assert.Equal(new GatewayConnectionsSynced(true, 2, 0), result);
        Assert.Equal(["a", "b"], (await Database.HashKeysAsync(RedisNames.GatewayConnections(gateway))).Select(key => (string)key!).Order());
        Assert.Equal(["a", "c"], (await Database.HashKeysAsync(RedisNames.RoomMembers("lobby"))).Select(key => (string)key!).Order());
        Assert.Equal(instance, (string?)await Database.HashGetAsync(RedisNames.GatewayInstances, gateway));
        await _changes.SyncAsync();
        Assert.Equal(
            ["+ a", "+ b", "J a lobby"],
            _changes.Since(mark).Select(Describe).Order(StringComparer.Ordinal));
        Assert.Empty(_announcements);
    }

    [Fact]
    public async Task A_report_removes_what_the_gateway_no_longer_holds_but_not_what_it_registered_after_the_report()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1);
        await RegisterAsync(gateway, instance, "b", "bob", 2, "lobby");
        await RegisterAsync(gateway, instance, "late", "lena", 5);
        var (other, otherInstance) = NewGateway();
        await RegisterAsync(other, otherInstance, "c", "carol", 1, "lobby");
        _announcements.Clear();

        var result = await _registry.SyncAsync(Report(gateway, instance, 3, ("a", "alice", 1, [])), Ttl, Ttl);

        Assert.Equal(new GatewayConnectionsSynced(true, 0, 1), result);
        Assert.Equal(["a", "late"], (await Database.HashKeysAsync(RedisNames.GatewayConnections(gateway))).Select(key => (string)key!).Order());
        Assert.Equal(RegistrationResult.AlreadyClosed, await _registry.RegisterAsync(new RegisterConnection(gateway, instance, "b", "bob", 2), Ttl));

        // Bob's only connection in the lobby went: carol's gateway hears he left.
        Assert.Equal((other, new MembershipEvent(MembershipEventKind.Left, "lobby", "bob", "")), Assert.Single(await LeftAsync()));
    }

    [Fact]
    public async Task A_report_does_not_bring_back_a_connection_that_closed()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1);
        await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, "a", "alice"), Ttl);

        var result = await _registry.SyncAsync(Report(gateway, instance, 1, ("a", "alice", 1, [])), Ttl, Ttl);

        Assert.Equal(new GatewayConnectionsSynced(true, 0, 0), result);
        Assert.False(await Database.HashExistsAsync(RedisNames.GatewayConnections(gateway), "a"));
    }

    [Fact]
    public async Task A_report_leaves_the_rooms_the_gateway_no_longer_has_and_tells_the_members()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1, "lobby", "kitchen");
        var (other, otherInstance) = NewGateway();
        await RegisterAsync(other, otherInstance, "c", "carol", 1, "lobby");
        await _changes.SyncAsync();
        var mark = await _changes.MarkAsync();
        _announcements.Clear();

        await _registry.SyncAsync(Report(gateway, instance, 1, ("a", "alice", 1, ["kitchen"])), Ttl, Ttl);

        Assert.Equal(["kitchen"], (await Database.HashGetAllAsync(RedisNames.ConnectionRooms("a"))).Where(entry => (long)entry.Value > 0).Select(entry => (string)entry.Name!));
        Assert.False(await Database.HashExistsAsync(RedisNames.RoomMembers("lobby"), "a"));
        await _changes.SyncAsync();
        Assert.Equal(["L a lobby"], _changes.Since(mark).Select(Describe));
        Assert.Equal((other, new MembershipEvent(MembershipEventKind.Left, "lobby", "alice", "")), Assert.Single(await LeftAsync()));
    }

    [Fact]
    public async Task A_report_from_a_replaced_instance_is_refused_and_changes_nothing()
    {
        var (gateway, older) = NewGateway();
        var newer = Instance(DateTimeOffset.UtcNow.AddMinutes(1));
        await RegisterAsync(gateway, newer, "n", "nina", 1);

        var result = await _registry.SyncAsync(Report(gateway, older, 1, ("o", "otto", 1, [])), Ttl, Ttl);

        Assert.False(result.Accepted);
        Assert.Equal(["n"], (await Database.HashKeysAsync(RedisNames.GatewayConnections(gateway))).Select(key => (string)key!));
    }

    [Fact]
    public async Task A_large_report_is_applied_in_batches_and_leaves_every_connection_in_place()
    {
        var (gateway, instance) = NewGateway();
        var connections = Enumerable.Range(0, 1_000)
            .Select(i => new GatewayConnection($"k{i}", $"user{i % 100}", i + 1, i % 3 == 0 ? ["lobby"] : []))
            .ToList();

        var result = await _registry.SyncAsync(new SyncGatewayConnections(gateway, instance, connections.Count, connections), Ttl, Ttl);

        Assert.Equal(new GatewayConnectionsSynced(true, 1_000, 0), result);
        Assert.Equal(1_000, await Database.HashLengthAsync(RedisNames.GatewayConnections(gateway)));
        Assert.Equal(334, await Database.HashLengthAsync(RedisNames.RoomMembers("lobby")));
    }

    [Fact]
    public async Task A_report_taken_before_a_join_does_not_undo_it()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1);
        Assert.True(await _registry.JoinAsync(new JoinRoom(gateway, instance, "a", "alice", "lobby", 5)));

        await _registry.SyncAsync(Report(gateway, instance, 3, ("a", "alice", 1, [])), Ttl, Ttl);

        Assert.True(await Database.HashExistsAsync(RedisNames.RoomMembers("lobby"), "a"));
    }

    [Fact]
    public async Task A_report_taken_before_a_leave_does_not_rejoin_the_room()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1, "lobby");
        await _registry.LeaveAsync(new LeaveRoom(gateway, "a", "lobby", 5));

        await _registry.SyncAsync(Report(gateway, instance, 3, ("a", "alice", 1, ["lobby"])), Ttl, Ttl);

        Assert.False(await Database.HashExistsAsync(RedisNames.RoomMembers("lobby"), "a"));
    }

    [Fact]
    public async Task A_join_older_than_the_last_leave_is_ignored()
    {
        var (gateway, instance) = NewGateway();
        await RegisterAsync(gateway, instance, "a", "alice", 1);
        Assert.True(await _registry.JoinAsync(new JoinRoom(gateway, instance, "a", "alice", "lobby", 2)));
        await _registry.LeaveAsync(new LeaveRoom(gateway, "a", "lobby", 4));

        // The first join, delivered again late.
        Assert.True(await _registry.JoinAsync(new JoinRoom(gateway, instance, "a", "alice", "lobby", 2)));

        Assert.False(await Database.HashExistsAsync(RedisNames.RoomMembers("lobby"), "a"));
    }

    /// <summary>The left events announced, once the first has arrived and a moment for any second one.</summary>
    private async Task<List<(string Gateway, MembershipEvent Event)>> LeftAsync()
    {
        await Eventually.HoldsAsync(() => Task.FromResult(_announcements.Any(a => a.Event.Kind == MembershipEventKind.Left)), TimeSpan.FromSeconds(5), "a left event");
        await Task.Delay(200);
        return [.. _announcements.Where(a => a.Event.Kind == MembershipEventKind.Left)];
    }

    private async Task RegisterAsync(string gateway, string instance, string connection, string user, long sequence, params string[] rooms)
    {
        Assert.Equal(RegistrationResult.Registered, await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, user, sequence), Ttl));
        foreach (var room in rooms)
        {
            Assert.True(await _registry.JoinAsync(new JoinRoom(gateway, instance, connection, user, room, sequence)));
        }
    }

    private static SyncGatewayConnections Report(string gateway, string instance, long upTo, params (string Id, string User, long Sequence, string[] Rooms)[] connections) =>
        new(gateway, instance, upTo, [.. connections.Select(c => new GatewayConnection(c.Id, c.User, c.Sequence, c.Rooms))]);

    private static string Describe(RegistryChange change) => change.Kind switch
    {
        RegistryChangeKind.ConnectionAdded => $"+ {change.ConnectionId}",
        RegistryChangeKind.ConnectionRemoved => $"- {change.ConnectionId}",
        RegistryChangeKind.RoomJoined => $"J {change.ConnectionId} {change.Room}",
        RegistryChangeKind.RoomLeft => $"L {change.ConnectionId} {change.Room}",
        _ => $"G {change.GatewayId}",
    };

    private static (string Id, string Instance) NewGateway() => (Names.Unique("gw"), Instance(DateTimeOffset.UtcNow));

    private static string Instance(DateTimeOffset startedAt) => Guid.CreateVersion7(startedAt).ToString("N");
}
