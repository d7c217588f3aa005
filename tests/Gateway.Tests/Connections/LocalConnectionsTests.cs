using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;

namespace ChatPlatform.Gateway.Tests.Connections;

public sealed class LocalConnectionsTests
{
    private readonly LocalConnections _connections = new();

    [Fact]
    public void Nothing_resolves_while_empty()
    {
        Assert.Empty(_connections.Resolve(MessageTarget.User("alice")));
        Assert.Empty(_connections.Resolve(MessageTarget.Connection("c-1")));
        Assert.Equal(0, _connections.Count);
    }

    [Fact]
    public void A_connection_resolves_by_its_user_and_by_its_id()
    {
        var connection = Connection("c-1", "alice");

        _connections.Add(connection);

        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.User("alice"))));
        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.Connection("c-1"))));
        Assert.Equal(1, _connections.Count);
    }

    [Fact]
    public void A_user_resolves_to_all_of_their_connections_and_no_one_elses()
    {
        var first = Connection("c-1", "alice");
        var second = Connection("c-2", "alice");
        var other = Connection("c-3", "bob");

        _connections.Add(first);
        _connections.Add(other);
        _connections.Add(second);

        Assert.Equal([first, second], _connections.Resolve(MessageTarget.User("alice")));
        Assert.Equal([other], _connections.Resolve(MessageTarget.User("bob")));
        Assert.Equal(3, _connections.Count);
        Assert.Equal(3, _connections.All.Count);
    }

    [Fact]
    public void User_names_and_connection_ids_are_case_sensitive()
    {
        _connections.Add(Connection("c-1", "alice"));

        Assert.Empty(_connections.Resolve(MessageTarget.User("Alice")));
        Assert.Empty(_connections.Resolve(MessageTarget.Connection("C-1")));
    }

    [Fact]
    public void A_connection_id_never_resolves_as_a_user_name_or_the_reverse()
    {
        _connections.Add(Connection("alice", "c-1"));

        Assert.Empty(_connections.Resolve(MessageTarget.User("alice")));
        Assert.Empty(_connections.Resolve(MessageTarget.Connection("c-1")));
    }

    [Fact]
    public void A_removed_connection_no_longer_resolves_but_the_users_others_do()
    {
        var first = Connection("c-1", "alice");
        var second = Connection("c-2", "alice");
        _connections.Add(first);
        _connections.Add(second);

        _connections.Remove(first);

        Assert.Equal([second], _connections.Resolve(MessageTarget.User("alice")));
        Assert.Empty(_connections.Resolve(MessageTarget.Connection("c-1")));
        Assert.Same(second, Assert.Single(_connections.Resolve(MessageTarget.Connection("c-2"))));
        Assert.Equal(1, _connections.Count);
    }

    [Fact]
    public void Removing_a_users_last_connection_leaves_the_user_offline()
    {
        var connection = Connection("c-1", "alice");
        _connections.Add(connection);

        _connections.Remove(connection);

        Assert.Empty(_connections.Resolve(MessageTarget.User("alice")));
        Assert.Empty(_connections.All);
    }

    [Fact]
    public void Removing_a_connection_that_is_not_there_changes_nothing()
    {
        var kept = Connection("c-1", "alice");
        var removed = Connection("c-2", "alice");
        _connections.Add(kept);
        _connections.Add(removed);
        _connections.Remove(removed);

        _connections.Remove(removed);
        _connections.Remove(Connection("c-9", "alice"));

        Assert.Equal([kept], _connections.Resolve(MessageTarget.User("alice")));
        Assert.Equal(1, _connections.Count);
    }

    [Fact]
    public void A_resolved_list_is_a_snapshot_that_later_changes_do_not_alter()
    {
        var first = Connection("c-1", "alice");
        _connections.Add(first);
        var resolved = _connections.Resolve(MessageTarget.User("alice"));

        _connections.Add(Connection("c-2", "alice"));
        _connections.Remove(first);

        Assert.Equal([first], resolved);
    }

    [Fact]
    public void Concurrent_adds_and_removes_for_one_user_keep_both_indexes_consistent()
    {
        var all = Enumerable.Range(0, 1_000).Select(i => Connection($"c-{i}", "alice")).ToArray();

        Parallel.ForEach(all, _connections.Add);
        Parallel.For(0, all.Length / 2, i => _connections.Remove(all[i * 2]));

        var expected = all.Where((_, i) => i % 2 == 1).ToHashSet();
        Assert.Equal(expected.Count, _connections.Count);
        Assert.True(expected.SetEquals(_connections.Resolve(MessageTarget.User("alice"))));
        Assert.All(expected, connection => Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.Connection(connection.Id)))));
    }

    [Fact]
    public void A_joined_connection_resolves_as_a_member_of_the_room()
    {
        var connection = Added("c-1", "alice");

        Assert.True(_connections.Join(connection, "lobby", out _));

        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.Room("lobby"))));
        Assert.True(_connections.IsMember(connection, "lobby"));
        Assert.Equal(1, _connections.RoomCount(connection));
    }

    [Fact]
    public void A_room_no_one_joined_resolves_to_no_one()
    {
        var connection = Added("c-1", "alice");
        _connections.Join(connection, "lobby", out _);

        Assert.Empty(_connections.Resolve(MessageTarget.Room("kitchen")));
        Assert.False(_connections.IsMember(connection, "kitchen"));
    }

    [Fact]
    public void Joining_a_room_twice_changes_nothing()
    {
        var connection = Added("c-1", "alice");
        _connections.Join(connection, "lobby", out _);

        Assert.False(_connections.Join(connection, "lobby", out _));

        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.Room("lobby"))));
        Assert.Equal(1, _connections.RoomCount(connection));
    }

    [Fact]
    public void A_room_resolves_to_every_member_connection_including_the_senders_own()
    {
        var alice = Added("c-1", "alice");
        var bob = Added("c-2", "bob");
        var bobAgain = Added("c-3", "bob");
        var carol = Added("c-4", "carol");
        _connections.Join(alice, "lobby", out _);
        _connections.Join(bob, "lobby", out _);
        _connections.Join(bobAgain, "lobby", out _);
        _connections.Join(carol, "kitchen", out _);

        // The caller leaves out the sending connection; the index does not.
        Assert.Equal([alice, bob, bobAgain], _connections.Resolve(MessageTarget.Room("lobby")));
        Assert.Equal([carol], _connections.Resolve(MessageTarget.Room("kitchen")));
    }

    [Fact]
    public void Membership_belongs_to_a_connection_not_to_its_user()
    {
        var first = Added("c-1", "alice");
        var second = Added("c-2", "alice");

        _connections.Join(first, "lobby", out _);

        Assert.Equal([first], _connections.Resolve(MessageTarget.Room("lobby")));
        Assert.False(_connections.IsMember(second, "lobby"));
        Assert.Equal(0, _connections.RoomCount(second));
    }

    [Fact]
    public void A_connection_counts_the_rooms_it_is_in()
    {
        var connection = Added("c-1", "alice");

        _connections.Join(connection, "a", out _);
        _connections.Join(connection, "b", out _);
        _connections.Join(connection, "c", out _);
        _connections.Leave(connection, "b", out _);

        Assert.Equal(2, _connections.RoomCount(connection));
        Assert.True(_connections.IsMember(connection, "a"));
        Assert.False(_connections.IsMember(connection, "b"));
        Assert.True(_connections.IsMember(connection, "c"));
    }

    [Fact]
    public void Leaving_a_room_stops_the_connection_resolving_for_it_but_not_the_other_members()
    {
        var alice = Added("c-1", "alice");
        var bob = Added("c-2", "bob");
        _connections.Join(alice, "lobby", out _);
        _connections.Join(bob, "lobby", out _);

        Assert.True(_connections.Leave(alice, "lobby", out _));

        Assert.Equal([bob], _connections.Resolve(MessageTarget.Room("lobby")));
        Assert.False(_connections.IsMember(alice, "lobby"));
        Assert.Equal(0, _connections.RoomCount(alice));
    }

    [Fact]
    public void When_the_last_member_leaves_the_room_resolves_to_no_one()
    {
        var connection = Added("c-1", "alice");
        _connections.Join(connection, "lobby", out _);

        _connections.Leave(connection, "lobby", out _);

        Assert.Empty(_connections.Resolve(MessageTarget.Room("lobby")));
    }

    [Fact]
    public void Leaving_a_room_the_connection_is_not_in_changes_nothing()
    {
        var alice = Added("c-1", "alice");
        var bob = Added("c-2", "bob");
        _connections.Join(bob, "lobby", out _);
        _connections.Join(alice, "kitchen", out _);

        Assert.False(_connections.Leave(alice, "lobby", out _));
        Assert.False(_connections.Leave(alice, "nowhere", out _));

        Assert.Equal([bob], _connections.Resolve(MessageTarget.Room("lobby")));
        Assert.Equal([alice], _connections.Resolve(MessageTarget.Room("kitchen")));
        Assert.Equal(1, _connections.RoomCount(alice));
    }

    [Fact]
    public void A_room_can_be_joined_again_after_leaving_it()
    {
        var connection = Added("c-1", "alice");
        _connections.Join(connection, "lobby", out _);
        _connections.Leave(connection, "lobby", out _);

        Assert.True(_connections.Join(connection, "lobby", out _));

        Assert.Equal([connection], _connections.Resolve(MessageTarget.Room("lobby")));
    }

    [Fact]
    public void Removing_a_connection_takes_it_out_of_all_its_rooms()
    {
        var alice = Added("c-1", "alice");
        var bob = Added("c-2", "bob");
        _connections.Join(alice, "lobby", out _);
        _connections.Join(alice, "kitchen", out _);
        _connections.Join(bob, "lobby", out _);

        _connections.Remove(alice);

        Assert.Equal([bob], _connections.Resolve(MessageTarget.Room("lobby")));
        Assert.Empty(_connections.Resolve(MessageTarget.Room("kitchen")));
        Assert.Equal(0, _connections.RoomCount(alice));
        Assert.False(_connections.IsMember(alice, "lobby"));
        Assert.Empty(alice.Rooms);
    }

    [Fact]
    public void Removing_a_connection_that_is_not_there_leaves_the_rooms_alone()
    {
        var connection = Added("c-1", "alice");
        _connections.Join(connection, "lobby", out _);

        _connections.Remove(Connection("c-9", "alice"));
        Assert.Equal([connection], _connections.Resolve(MessageTarget.Room("lobby")));

        _connections.Remove(connection);
        _connections.Remove(connection);

        Assert.Empty(_connections.Resolve(MessageTarget.Room("lobby")));
        Assert.Equal(0, _connections.Count);
    }

    [Fact]
    public void Room_names_are_case_sensitive_and_distinct_from_user_names_and_connection_ids()
    {
        var connection = Added("lobby", "lobby");
        _connections.Join(connection, "lobby", out _);

        Assert.Empty(_connections.Resolve(MessageTarget.Room("Lobby")));
        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.Room("lobby"))));
        Assert.False(_connections.IsMember(connection, "LOBBY"));

        _connections.Leave(connection, "lobby", out _);

        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.User("lobby"))));
        Assert.Same(connection, Assert.Single(_connections.Resolve(MessageTarget.Connection("lobby"))));
    }

    [Fact]
    public void A_resolved_room_is_a_snapshot_that_later_joins_and_leaves_do_not_alter()
    {
        var first = Added("c-1", "alice");
        var second = Added("c-2", "bob");
        _connections.Join(first, "lobby", out _);
        var resolved = _connections.Resolve(MessageTarget.Room("lobby"));

        _connections.Join(second, "lobby", out _);
        _connections.Leave(first, "lobby", out _);
        _connections.Remove(second);

        Assert.Equal([first], resolved);
    }

    [Fact]
    public void Everyone_resolves_to_every_connection_including_the_senders_own()
    {
        var alice = Added("c-1", "alice");
        var aliceAgain = Added("c-2", "alice");
        var bob = Added("c-3", "bob");
        _connections.Join(bob, "lobby", out _);

        var everyone = _connections.Resolve(MessageTarget.Everyone);

        Assert.Equal(3, everyone.Count());
        Assert.True(new[] { alice, aliceAgain, bob }.ToHashSet().SetEquals(everyone));
    }

    [Fact]
    public void Everyone_resolves_to_no_one_while_empty_and_leaves_out_removed_connections()
    {
        Assert.Empty(_connections.Resolve(MessageTarget.Everyone));

        var alice = Added("c-1", "alice");
        var bob = Added("c-2", "bob");
        _connections.Remove(alice);

        Assert.Equal([bob], _connections.Resolve(MessageTarget.Everyone));
    }

    [Fact]
    public void Everyone_is_enumerated_live_and_can_change_while_a_delivery_walks_it()
    {
        var alice = Added("c-1", "alice");
        Added("c-2", "bob");
        var seen = new List<string>();

        // A broadcast walks every connection without copying them; connections coming and going
        // meanwhile neither break the walk nor get it twice.
        foreach (var connection in _connections.Resolve(MessageTarget.Everyone))
        {
            seen.Add(connection.Id);
            _connections.Remove(alice);
            Added($"c-{seen.Count + 2}", "carol");
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.DoesNotContain("c-1", _connections.Resolve(MessageTarget.Everyone).Select(connection => connection.Id));
    }

    [Fact]
    public void Concurrent_joins_and_leaves_of_one_room_keep_members_and_room_sets_consistent()
    {
        var all = Enumerable.Range(0, 1_000).Select(i => Added($"c-{i}", $"user{i % 7}")).ToArray();

        Parallel.ForEach(all, connection => _connections.Join(connection, "lobby", out _));
        Parallel.For(0, all.Length / 2, i =>
        {
            _connections.Leave(all[i * 2], "lobby", out _);
            _connections.Remove(all[(i * 2) + 1]);
        });
        Parallel.For(0, all.Length / 4, i => _connections.Join(all[i * 4], "lobby", out _));

        var expected = all.Where((_, i) => i % 4 == 0).ToHashSet();
        var members = _connections.Resolve(MessageTarget.Room("lobby"));
        Assert.Equal(expected.Count, members.Count());
        Assert.True(expected.SetEquals(members));
        Assert.All(all, connection => Assert.Equal(expected.Contains(connection), _connections.IsMember(connection, "lobby")));
    }

    private ClientConnection Added(string id, string user)
    {
        var connection = Connection(id, user);
        _connections.Add(connection);
        return connection;
    }

    private static ClientConnection Connection(string id, string user) => new(id, user, 16, TimeSpan.FromSeconds(1));
}
