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

    private static ClientConnection Connection(string id, string user) => new(id, user, 16, TimeSpan.FromSeconds(1));
}
