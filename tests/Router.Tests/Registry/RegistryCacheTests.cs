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

    [Fact]
    public void Room_changes_apply_in_sequence_like_connection_changes()
    {
        Assert.True(_cache.Apply(Added(1, "gw1", "c1", "alice")));
        Assert.True(_cache.Apply(Joined(2, "gw1", "c1", "alice", "lobby")));
        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal(1, _cache.RoomCount);

        Assert.True(_cache.Apply(Left(3, "gw1", "c1", "alice", "lobby")));
        Assert.Empty(Room("lobby"));
        Assert.Equal(0, _cache.RoomCount);

        Assert.False(_cache.Apply(Joined(5, "gw1", "c1", "alice", "lobby")));
        Assert.Equal(["gw1:1"], Room("lobby"));
    }

    [Fact]
    public void A_resync_loads_the_memberships_of_the_snapshots_connections()
    {
        _cache.BeginResync();
        _cache.CompleteResync(
            [new("gw1", "c1", "alice"), new("gw2", "c2", "bob"), new("gw2", "c3", "carol")],
            [new("lobby", "c1"), new("lobby", "c2"), new("kitchen", "c3"), new("lobby", "c1")]);

        Assert.Equal(["gw1:1", "gw2:1"], Room("lobby"));
        Assert.Equal(["gw2:1"], Room("kitchen"));
        Assert.Equal(2, _cache.RoomCount);
        Assert.Equal((2, "alice,bob"), Members("lobby"));
    }

    [Fact]
    public void Memberships_of_connections_missing_from_the_snapshot_are_ignored()
    {
        // Their gateway was removed and its rooms are still being cleaned up.
        _cache.BeginResync();
        _cache.CompleteResync(
            [new("gw1", "c1", "alice")],
            [new("lobby", "c1"), new("lobby", "c-gone"), new("gone-room", "c-gone")]);

        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Empty(Room("gone-room"));
        Assert.Equal(1, _cache.RoomCount);
        Assert.Equal((1, "alice"), Members("lobby"));
    }

    [Fact]
    public void A_resync_replaces_the_old_memberships()
    {
        _cache.Apply(Added(1, "gw1", "c1", "alice"));
        _cache.Apply(Joined(2, "gw1", "c1", "alice", "old-room"));

        _cache.BeginResync();
        _cache.CompleteResync([new("gw1", "c1", "alice")], [new("new-room", "c1")]);

        Assert.Empty(Room("old-room"));
        Assert.Equal(["gw1:1"], Room("new-room"));
        Assert.Equal(1, _cache.RoomCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_join_during_the_resync_is_replayed_over_the_snapshot(bool snapshotHasIt)
    {
        _cache.BeginResync();
        _cache.Apply(Joined(10, "gw1", "c1", "alice", "lobby"));

        _cache.CompleteResync([new("gw1", "c1", "alice")], snapshotHasIt ? [new("lobby", "c1")] : []);

        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal((1, "alice"), Members("lobby"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_leave_during_the_resync_is_replayed_over_the_snapshot(bool snapshotHasIt)
    {
        _cache.BeginResync();
        _cache.Apply(Left(10, "gw1", "c1", "alice", "lobby"));

        // Read before the leave reached the copy the snapshot came from, or after.
        _cache.CompleteResync([new("gw1", "c1", "alice"), new("gw1", "c2", "bob")], snapshotHasIt ? [new("lobby", "c1"), new("lobby", "c2")] : [new("lobby", "c2")]);

        Assert.Equal((1, "bob"), Members("lobby"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_join_then_a_leave_during_the_resync_leave_no_member_wherever_the_snapshot_was_read(int changesInSnapshot)
    {
        _cache.BeginResync();
        _cache.Apply(Joined(10, "gw1", "c1", "alice", "lobby"));
        _cache.Apply(Left(11, "gw1", "c1", "alice", "lobby"));

        MembershipEntry[] memberships = changesInSnapshot == 1 ? [new("lobby", "c1")] : [];
        _cache.CompleteResync([new("gw1", "c1", "alice")], memberships);

        Assert.Empty(Room("lobby"));
        Assert.Equal(0, _cache.RoomCount);
    }

    [Fact]
    public void A_connection_that_arrived_and_joined_during_the_resync_is_a_member_even_if_the_snapshot_missed_it()
    {
        _cache.BeginResync();
        _cache.Apply(Added(10, "gw1", "c9", "zoe"));
        _cache.Apply(Joined(11, "gw1", "c9", "zoe", "lobby"));

        // Connections were read before it registered; memberships after it joined.
        _cache.CompleteResync([new("gw1", "c1", "alice")], [new("lobby", "c1"), new("lobby", "c9")]);

        Assert.Equal(["gw1:2"], Room("lobby"));
        Assert.Equal((2, "alice,zoe"), Members("lobby"));
    }

    [Fact]
    public void A_connection_removed_during_the_resync_leaves_the_rooms_the_snapshot_had_it_in()
    {
        _cache.BeginResync();
        _cache.Apply(Removed(10, "gw1", "c1", "alice"));

        _cache.CompleteResync([new("gw1", "c1", "alice"), new("gw2", "c2", "bob")], [new("lobby", "c1"), new("lobby", "c2"), new("kitchen", "c1")]);

        Assert.Equal(["gw2:1"], Room("lobby"));
        Assert.Empty(Room("kitchen"));
        Assert.Equal(1, _cache.RoomCount);
    }

    [Fact]
    public void A_gateway_removed_during_the_resync_takes_its_connections_memberships()
    {
        _cache.BeginResync();
        _cache.Apply(GatewayRemoved(10, "gw1"));

        _cache.CompleteResync([new("gw1", "c1", "alice"), new("gw2", "c2", "bob")], [new("lobby", "c1"), new("lobby", "c2")]);

        Assert.Equal(["gw2:1"], Room("lobby"));
        Assert.Equal((1, "bob"), Members("lobby"));
    }

    [Fact]
    public void A_room_question_is_answered_with_its_members_sorted_and_their_connections()
    {
        _cache.Apply(Added(1, "gw1", "c1", "bob"));
        _cache.Apply(Added(2, "gw2", "c2", "bob"));
        _cache.Apply(Added(3, "gw2", "c3", "Alice"));
        _cache.Apply(Added(4, "gw2", "c4", "alice"));
        _cache.Apply(Joined(5, "gw1", "c1", "bob", "lobby"));
        _cache.Apply(Joined(6, "gw2", "c2", "bob", "lobby"));
        _cache.Apply(Joined(7, "gw2", "c3", "Alice", "lobby"));
        _cache.Apply(Joined(8, "gw2", "c4", "alice", "kitchen"));

        var answer = _cache.Answer(new PresenceQuery("q1", "gw9", "c-asker", MessageTarget.Room("lobby"), null));

        Assert.Equal("q1", answer.QueryId);
        Assert.Equal("c-asker", answer.ConnectionId);
        Assert.Equal(3, answer.Connections);
        Assert.Equal(["Alice", "bob"], answer.Users);
    }

    [Fact]
    public void A_question_about_an_empty_or_unknown_room_is_answered_with_no_one()
    {
        _cache.Apply(Added(1, "gw1", "c1", "alice"));
        _cache.Apply(Joined(2, "gw1", "c1", "alice", "lobby"));
        _cache.Apply(Left(3, "gw1", "c1", "alice", "lobby"));

        foreach (var room in new[] { "lobby", "never-used" })
        {
            var answer = _cache.Answer(new PresenceQuery("q1", "gw1", "c1", MessageTarget.Room(room), null));

            Assert.Equal(0, answer.Connections);
            Assert.Empty(answer.Users);
        }
    }

    [Fact]
    public void A_user_question_is_answered_with_their_connections_on_all_gateways()
    {
        _cache.Apply(Added(1, "gw1", "c1", "bob"));
        _cache.Apply(Added(2, "gw2", "c2", "bob"));
        _cache.Apply(Added(3, "gw2", "c3", "carol"));

        var bob = _cache.Answer(new PresenceQuery("q1", "gw9", "c-asker", MessageTarget.User("bob"), null));
        var dave = _cache.Answer(new PresenceQuery("q2", "gw9", "c-asker", MessageTarget.User("dave"), null));

        Assert.Equal(("q1", "c-asker", 2), (bob.QueryId, bob.ConnectionId, bob.Connections));
        Assert.Empty(bob.Users);
        Assert.Equal(("q2", "c-asker", 0), (dave.QueryId, dave.ConnectionId, dave.Connections));
        Assert.Empty(dave.Users);
    }

    [Fact]
    public void Answers_follow_the_changes_applied_before_the_question()
    {
        _cache.Apply(Added(1, "gw1", "c1", "bob"));
        var query = new PresenceQuery("q1", "gw1", "c-asker", MessageTarget.User("bob"), null);
        Assert.Equal(1, _cache.Answer(query).Connections);

        _cache.Apply(Removed(2, "gw1", "c1", "bob"));

        Assert.Equal(0, _cache.Answer(query).Connections);
    }

    [Fact]
    public void Room_resolution_through_the_cache_leaves_out_the_sending_member()
    {
        _cache.Apply(Added(1, "gw1", "c1", "alice"));
        _cache.Apply(Added(2, "gw2", "c2", "bob"));
        _cache.Apply(Joined(3, "gw1", "c1", "alice", "lobby"));
        _cache.Apply(Joined(4, "gw2", "c2", "bob", "lobby"));

        Assert.Equal(["gw2:1"], Describe(_cache.Resolve(MessageTarget.Room("lobby"), "c1")));
        Assert.Equal(["gw1:1"], Describe(_cache.Resolve(MessageTarget.Everyone, "c2")));
    }

    private static RegistryChange Joined(long sequence, string gateway, string connection, string user, string room) =>
        new(sequence, RegistryChangeKind.RoomJoined, gateway, connection, user, room);

    private static RegistryChange Left(long sequence, string gateway, string connection, string user, string room) =>
        new(sequence, RegistryChangeKind.RoomLeft, gateway, connection, user, room);

    private string[] Room(string room) => Describe(_cache.Resolve(MessageTarget.Room(room), "outsider"));

    private (int Connections, string Users) Members(string room)
    {
        var answer = _cache.Answer(new PresenceQuery("q", "gw", "c-asker", MessageTarget.Room(room), null));
        return (answer.Connections, string.Join(',', answer.Users));
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
