using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Router.Registry;

namespace ChatPlatform.Router.Tests.Registry;

public sealed class RegistryCacheTests
{
    private readonly RegistryCache _cache = new();

    [Fact]
    public void The_first_change_is_in_sequence_whatever_its_number()
    {
        Assert.True(_cache.Apply(Added(100, "gw1", "c1", "alice")));
    }

    [Fact]
    public void Consecutive_changes_are_in_sequence()
    {
        Assert.True(_cache.Apply(Added(100, "gw1", "c1", "alice")));
        Assert.True(_cache.Apply(Added(101, "gw1", "c2", "alice")));
        Assert.True(_cache.Apply(Removed(102, "gw1", "c1", "alice")));

        Assert.Equal(["gw1:1"], User("alice"));
    }

    [Fact]
    public void A_gap_is_reported_and_the_change_is_still_applied()
    {
        _cache.Apply(Added(100, "gw1", "c1", "alice"));

        Assert.False(_cache.Apply(Added(102, "gw1", "c2", "bob")));

        Assert.Equal(["gw1:1"], User("bob"));
    }

    [Fact]
    public void After_a_gap_the_sequence_continues_from_the_change_that_showed_it()
    {
        _cache.Apply(Added(100, "gw1", "c1", "alice"));
        _cache.Apply(Added(105, "gw1", "c2", "alice"));

        Assert.True(_cache.Apply(Added(106, "gw1", "c3", "alice")));
    }

    [Theory]
    [InlineData(101L)]
    [InlineData(100L)]
    [InlineData(5L)]
    public void A_repeated_or_older_sequence_is_reported(long sequence)
    {
        _cache.Apply(Added(100, "gw1", "c1", "alice"));
        _cache.Apply(Added(101, "gw1", "c2", "alice"));

        Assert.False(_cache.Apply(Added(sequence, "gw1", "c3", "alice")));
    }

    [Fact]
    public void A_resync_forgets_the_sequence_so_the_next_change_starts_it_again()
    {
        _cache.Apply(Added(100, "gw1", "c1", "alice"));

        _cache.BeginResync();

        Assert.True(_cache.Apply(Added(500, "gw1", "c2", "alice")));
        Assert.True(_cache.Apply(Added(501, "gw1", "c3", "alice")));
        _cache.CompleteResync([], []);
        Assert.True(_cache.Apply(Added(502, "gw1", "c4", "alice")));
        Assert.False(_cache.Apply(Added(504, "gw1", "c5", "alice")));
    }

    [Fact]
    public void Completing_a_resync_replaces_the_contents_with_the_snapshot()
    {
        _cache.Apply(Added(1, "gw1", "c1", "alice"));
        _cache.Apply(Added(2, "gw1", "c2", "bob"));

        _cache.BeginResync();
        _cache.CompleteResync([new("gw2", "c3", "bob"), new("gw2", "c4", "carol"), new("gw3", "c5", "carol")], []);

        Assert.Empty(User("alice"));
        Assert.Empty(Connection("c2"));
        Assert.Equal(["gw2:1"], User("bob"));
        Assert.Equal(["gw2:1", "gw3:1"], User("carol"));
        Assert.Equal(3, _cache.ConnectionCount);
        Assert.Equal(2, _cache.UserCount);
    }

    [Fact]
    public void Changes_keep_being_applied_while_a_resync_is_under_way()
    {
        _cache.BeginResync();

        _cache.Apply(Added(1, "gw1", "c1", "alice"));

        Assert.Equal(["gw1:1"], User("alice"));
    }

    [Fact]
    public void A_connection_added_during_the_resync_is_kept_though_the_snapshot_missed_it()
    {
        _cache.BeginResync();
        _cache.Apply(Added(10, "gw1", "c9", "alice"));

        _cache.CompleteResync([new("gw1", "c1", "bob")], []);

        Assert.Equal(["gw1:1"], User("alice"));
        Assert.Equal(["gw1:1"], User("bob"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_connection_added_then_removed_during_the_resync_is_gone_whether_or_not_the_snapshot_saw_it(bool snapshotHasIt)
    {
        _cache.BeginResync();
        _cache.Apply(Added(10, "gw1", "c9", "alice"));
        _cache.Apply(Removed(11, "gw1", "c9", "alice"));

        RegistryEntry[] snapshot = snapshotHasIt ? [new("gw1", "c1", "bob"), new("gw1", "c9", "alice")] : [new("gw1", "c1", "bob")];
        _cache.CompleteResync(snapshot, []);

        Assert.Empty(User("alice"));
        Assert.Empty(Connection("c9"));
        Assert.Equal(["gw1:1"], User("bob"));
    }

    [Fact]
    public void An_entry_in_the_snapshot_whose_removal_arrived_during_the_resync_is_removed()
    {
        _cache.Apply(Added(1, "gw1", "c1", "alice"));
        _cache.BeginResync();
        _cache.Apply(Removed(2, "gw1", "c1", "alice"));

        // Read before the removal reached Redis's copy the snapshot came from.
        _cache.CompleteResync([new("gw1", "c1", "alice"), new("gw1", "c2", "alice")], []);

        Assert.Empty(Connection("c1"));
        Assert.Equal(["gw1:1"], User("alice"));
        Assert.Equal(1, _cache.ConnectionCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_gateway_removed_and_refilled_during_the_resync_keeps_only_its_new_connections(bool snapshotIsAfterTheChanges)
    {
        _cache.BeginResync();
        _cache.Apply(GatewayRemoved(20, "gw1"));
        _cache.Apply(Added(21, "gw1", "c3", "alice"));

        RegistryEntry[] snapshot = snapshotIsAfterTheChanges
            ? [new("gw1", "c3", "alice"), new("gw2", "c9", "alice")]
            : [new("gw1", "c1", "alice"), new("gw1", "c2", "bob"), new("gw2", "c9", "alice")];
        _cache.CompleteResync(snapshot, []);

        Assert.Equal(["gw1:1", "gw2:1"], User("alice"));
        Assert.Empty(User("bob"));
        Assert.Empty(Connection("c1"));
        Assert.Empty(Connection("c2"));
        Assert.Equal(["gw1:1"], Connection("c3"));
        Assert.Equal(2, _cache.ConnectionCount);
    }

    [Fact]
    public void Changes_recorded_during_one_resync_are_not_replayed_by_the_next()
    {
        _cache.BeginResync();
        _cache.Apply(Added(1, "gw1", "c1", "alice"));
        _cache.CompleteResync([], []);
        Assert.Equal(["gw1:1"], User("alice"));

        _cache.Apply(Removed(2, "gw1", "c1", "alice"));
        _cache.BeginResync();
        _cache.CompleteResync([], []);

        Assert.Empty(User("alice"));
    }

    [Fact]
    public void Changes_after_a_resync_apply_to_the_new_contents()
    {
        _cache.BeginResync();
        _cache.CompleteResync([new("gw1", "c1", "alice")], []);

        _cache.Apply(Added(1, "gw2", "c2", "alice"));
        _cache.Apply(Removed(2, "gw1", "c1", "alice"));

        Assert.Equal(["gw2:1"], User("alice"));
    }

    [Fact]
    public async Task Lookups_and_changes_from_many_threads_leave_a_consistent_registry()
    {
        const int connections = 2_000;

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < connections; i++)
            {
                _cache.Apply(Added(i, $"gw{i % 4}", $"c{i}", $"user{i % 10}"));
            }
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < connections; i++)
            {
                var recipients = _cache.Resolve(MessageTarget.User($"user{i % 10}"), "sender");
                Assert.All(recipients, r => Assert.InRange(r.Connections, 1, connections));
            }
        }));

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(connections, _cache.ConnectionCount);
        Assert.Equal(10, _cache.UserCount);
        Assert.Equal(connections, Enumerable.Range(0, 10).Sum(u => _cache.Resolve(MessageTarget.User($"user{u}"), "sender").Sum(r => r.Connections)));
    }

    private static RegistryChange Added(long sequence, string gateway, string connection, string user) =>
        new(sequence, RegistryChangeKind.ConnectionAdded, gateway, connection, user);

    private static RegistryChange Removed(long sequence, string gateway, string connection, string user) =>
        new(sequence, RegistryChangeKind.ConnectionRemoved, gateway, connection, user);

    private static RegistryChange GatewayRemoved(long sequence, string gateway) =>
        new(sequence, RegistryChangeKind.GatewayRemoved, gateway, null, null);

    private string[] User(string user) => Describe(_cache.Resolve(MessageTarget.User(user), "sender"));

    private string[] Connection(string connection) => Describe(_cache.Resolve(MessageTarget.Connection(connection), "sender"));

    private static string[] Describe(IReadOnlyList<GatewayRecipients> recipients) =>
        [.. recipients.Select(r => $"{r.GatewayId}:{r.Connections}").Order(StringComparer.Ordinal)];
}
