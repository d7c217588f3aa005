using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Router.Registry;

namespace ChatPlatform.Router.Tests.Registry;

public sealed class RegistryStateTests
{
    private readonly RegistryState _state = new();

    [Fact]
    public void An_empty_registry_resolves_nothing()
    {
        Assert.Empty(User("alice"));
        Assert.Empty(Connection("c1"));
        Assert.Equal(0, _state.ConnectionCount);
        Assert.Equal(0, _state.UserCount);
    }

    [Fact]
    public void An_added_connection_resolves_as_its_user_and_as_itself()
    {
        _state.Add("gw1", "c1", "alice");

        Assert.Equal(["gw1:1"], User("alice"));
        Assert.Equal(["gw1:1"], Connection("c1"));
        Assert.Equal(1, _state.ConnectionCount);
        Assert.Equal(1, _state.UserCount);
    }

    [Fact]
    public void A_users_connections_are_counted_per_gateway()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "alice");
        _state.Add("gw1", "c3", "alice");
        _state.Add("gw1", "c4", "bob");

        Assert.Equal(["gw1:2", "gw2:1"], User("alice"));
        Assert.Equal(["gw1:1"], User("bob"));
        Assert.Equal(["gw2:1"], Connection("c2"));
        Assert.Equal(4, _state.ConnectionCount);
        Assert.Equal(2, _state.UserCount);
    }

    [Fact]
    public void Removing_connections_lowers_their_gateways_counts_until_the_user_is_gone()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "alice");
        _state.Add("gw2", "c3", "alice");

        _state.Remove("c1");
        Assert.Equal(["gw1:1", "gw2:1"], User("alice"));
        Assert.Empty(Connection("c1"));

        _state.Remove("c2");
        Assert.Equal(["gw2:1"], User("alice"));

        _state.Remove("c3");
        Assert.Empty(User("alice"));
        Assert.Equal(0, _state.ConnectionCount);
        Assert.Equal(0, _state.UserCount);
    }

    [Fact]
    public void Removing_a_gateway_removes_its_connections_and_nothing_else()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "alice");
        _state.Add("gw1", "c3", "bob");
        _state.Add("gw1", "c4", "bob");
        _state.Add("gw2", "c5", "carol");

        _state.RemoveGateway("gw1");

        Assert.Equal(["gw2:1"], User("alice"));
        Assert.Empty(User("bob"));
        Assert.Equal(["gw2:1"], User("carol"));
        Assert.Empty(Connection("c1"));
        Assert.Empty(Connection("c3"));
        Assert.Equal(["gw2:1"], Connection("c2"));
        Assert.Equal(2, _state.ConnectionCount);
        Assert.Equal(2, _state.UserCount);
    }

    [Fact]
    public void A_removed_gateway_can_hold_connections_again()
    {
        _state.Add("gw1", "c1", "alice");
        _state.RemoveGateway("gw1");

        _state.Add("gw1", "c2", "alice");
        Assert.Equal(["gw1:1"], User("alice"));

        _state.RemoveGateway("gw1");
        Assert.Empty(User("alice"));
        Assert.Equal(0, _state.ConnectionCount);
    }

    [Fact]
    public void Adding_the_same_connection_again_changes_nothing()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c1", "alice");

        Assert.Equal(["gw1:1"], User("alice"));
        Assert.Equal(1, _state.ConnectionCount);

        _state.Remove("c1");
        Assert.Empty(User("alice"));
        Assert.Equal(0, _state.UserCount);
    }

    [Fact]
    public void A_connection_added_again_on_another_gateway_moves_there()
    {
        _state.Add("gw1", "c1", "alice");

        _state.Add("gw2", "c1", "alice");

        Assert.Equal(["gw2:1"], User("alice"));
        Assert.Equal(["gw2:1"], Connection("c1"));
        _state.RemoveGateway("gw1");
        Assert.Equal(["gw2:1"], Connection("c1"));
        Assert.Equal(1, _state.ConnectionCount);
    }

    [Fact]
    public void A_connection_added_again_for_another_user_moves_to_that_user()
    {
        _state.Add("gw1", "c1", "alice");

        _state.Add("gw1", "c1", "bob");

        Assert.Empty(User("alice"));
        Assert.Equal(["gw1:1"], User("bob"));
        Assert.Equal(1, _state.UserCount);
    }

    [Fact]
    public void Removing_unknown_connections_or_gateways_changes_nothing()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "alice");
        _state.Remove("c2");

        _state.Remove("c2");
        _state.Remove("never-seen");
        _state.RemoveGateway("gw-never-seen");

        Assert.Equal(["gw1:1"], User("alice"));
        Assert.Equal(1, _state.ConnectionCount);
        Assert.Equal(1, _state.UserCount);
    }

    [Fact]
    public void Changes_are_applied_by_kind()
    {
        _state.Apply(new RegistryChange(1, RegistryChangeKind.ConnectionAdded, "gw1", "c1", "alice"));
        _state.Apply(new RegistryChange(2, RegistryChangeKind.ConnectionAdded, "gw1", "c2", "alice"));
        _state.Apply(new RegistryChange(3, RegistryChangeKind.ConnectionAdded, "gw2", "c3", "alice"));
        Assert.Equal(["gw1:2", "gw2:1"], User("alice"));

        _state.Apply(new RegistryChange(4, RegistryChangeKind.ConnectionRemoved, "gw1", "c1", "alice"));
        Assert.Equal(["gw1:1", "gw2:1"], User("alice"));

        _state.Apply(new RegistryChange(5, RegistryChangeKind.GatewayRemoved, "gw1", null, null));
        Assert.Equal(["gw2:1"], User("alice"));
    }

    [Fact]
    public void Resolved_recipients_are_a_snapshot_that_later_changes_do_not_alter()
    {
        // Routing reads the list after the cache lock is released.
        _state.Add("gw1", "c1", "alice");
        var user = _state.Resolve(MessageTarget.User("alice"), "sender");
        var connection = _state.Resolve(MessageTarget.Connection("c1"), "sender");

        _state.Add("gw1", "c2", "alice");
        _state.Add("gw2", "c3", "alice");
        _state.RemoveGateway("gw1");

        Assert.Equal([new GatewayRecipients("gw1", 1)], user);
        Assert.Equal([new GatewayRecipients("gw1", 1)], connection);
    }

    [Fact]
    public void An_unknown_target_kind_resolves_nothing()
    {
        _state.Add("gw1", "c1", "alice");

        Assert.Empty(_state.Resolve(new MessageTarget((TargetKind)99, "alice"), "sender"));
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        _state.Add("gw1", "c1", "alice");

        Assert.Empty(User("Alice"));
        Assert.Empty(Connection("C1"));
    }

    [Fact]
    public void A_joined_connection_makes_the_room_resolve_to_its_gateway()
    {
        _state.Add("gw1", "c1", "alice");

        _state.Join("c1", "lobby");

        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal(1, _state.RoomCount);
    }

    [Fact]
    public void A_rooms_members_are_counted_per_gateway()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "alice");
        _state.Add("gw2", "c3", "bob");
        _state.Add("gw2", "c4", "carol");
        _state.Add("gw3", "c5", "dave");

        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");
        _state.Join("c3", "lobby");
        _state.Join("c5", "kitchen");

        Assert.Equal(["gw1:2", "gw2:1"], Room("lobby"));
        Assert.Equal(["gw3:1"], Room("kitchen"));
        Assert.Empty(Room("nowhere"));
        Assert.Equal(2, _state.RoomCount);
    }

    [Fact]
    public void Joining_a_room_twice_counts_once()
    {
        _state.Add("gw1", "c1", "alice");

        _state.Join("c1", "lobby");
        _state.Join("c1", "lobby");

        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal("1:alice", Members("lobby"));

        _state.Leave("c1", "lobby");
        Assert.Empty(Room("lobby"));
        Assert.Equal(0, _state.RoomCount);
    }

    [Fact]
    public void Leaving_lowers_the_count_and_the_room_disappears_with_its_last_member()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "bob");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");

        _state.Leave("c1", "lobby");
        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal(1, _state.RoomCount);

        _state.Leave("c2", "lobby");
        Assert.Empty(Room("lobby"));
        Assert.Equal(0, _state.RoomCount);
        Assert.Equal("0:", Members("lobby"));
    }

    [Fact]
    public void Leaving_a_room_the_connection_is_not_in_changes_nothing()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "bob");
        _state.Join("c1", "lobby");
        _state.Join("c2", "kitchen");

        _state.Leave("c2", "lobby");
        _state.Leave("c1", "nowhere");
        _state.Leave("never-seen", "lobby");

        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal(["gw1:1"], Room("kitchen"));
        Assert.Equal("1:alice", Members("lobby"));
        Assert.Equal(2, _state.RoomCount);
    }

    [Fact]
    public void Joins_of_unknown_connections_are_ignored()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Remove("c1");

        _state.Join("c1", "lobby");
        _state.Join("never-seen", "lobby");

        Assert.Empty(Room("lobby"));
        Assert.Equal(0, _state.RoomCount);
        Assert.Equal("0:", Members("lobby"));
    }

    [Fact]
    public void Removing_a_connection_takes_it_out_of_all_its_rooms()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "bob");
        _state.Join("c1", "lobby");
        _state.Join("c1", "kitchen");
        _state.Join("c2", "lobby");

        _state.Remove("c1");

        Assert.Equal(["gw2:1"], Room("lobby"));
        Assert.Empty(Room("kitchen"));
        Assert.Equal("1:bob", Members("lobby"));
        Assert.Equal(1, _state.RoomCount);
    }

    [Fact]
    public void Removing_a_gateway_takes_its_connections_out_of_their_rooms_and_leaves_the_other_members()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "bob");
        _state.Add("gw2", "c3", "bob");
        _state.Add("gw2", "c4", "carol");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");
        _state.Join("c3", "lobby");
        _state.Join("c1", "gw1-only");
        _state.Join("c2", "gw1-only");
        _state.Join("c4", "gw2-only");

        _state.RemoveGateway("gw1");

        Assert.Equal(["gw2:1"], Room("lobby"));
        Assert.Equal("1:bob", Members("lobby"));
        Assert.Empty(Room("gw1-only"));
        Assert.Equal(["gw2:1"], Room("gw2-only"));
        Assert.Equal(2, _state.RoomCount);
    }

    [Fact]
    public void A_connection_added_again_on_the_same_gateway_keeps_its_rooms()
    {
        // Replaying a change over a snapshot that already had it must not drop memberships.
        _state.Add("gw1", "c1", "alice");
        _state.Join("c1", "lobby");

        _state.Add("gw1", "c1", "alice");

        Assert.Equal(["gw1:1"], Room("lobby"));
        Assert.Equal("1:alice", Members("lobby"));
    }

    [Fact]
    public void A_room_message_leaves_out_the_sending_member_connection()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "bob");
        _state.Add("gw2", "c3", "carol");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");
        _state.Join("c3", "lobby");

        Assert.Equal(["gw1:1", "gw2:1"], Room("lobby", sender: "c1"));
        Assert.Equal(["gw1:2"], Room("lobby", sender: "c3"));
    }

    [Fact]
    public void A_gateway_left_with_no_recipient_but_the_sender_gets_nothing()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "bob");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");

        Assert.Equal(["gw2:1"], Room("lobby", sender: "c1"));
    }

    [Fact]
    public void A_room_whose_only_member_is_the_sender_resolves_to_no_one()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Join("c1", "lobby");

        Assert.Empty(Room("lobby", sender: "c1"));
    }

    [Fact]
    public void The_senders_other_connections_in_the_room_still_get_the_message()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "alice");
        _state.Add("gw2", "c3", "alice");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");
        _state.Join("c3", "lobby");

        Assert.Equal(["gw1:1", "gw2:1"], Room("lobby", sender: "c1"));
    }

    [Fact]
    public void A_sender_that_is_not_a_member_of_the_room_leaves_out_no_one()
    {
        // The gateway refuses such a send; should one arrive, no member loses the message.
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "bob");
        _state.Join("c2", "lobby");
        _state.Join("c1", "kitchen");

        Assert.Equal(["gw1:1"], Room("lobby", sender: "c1"));
        Assert.Equal(["gw1:1"], Room("lobby", sender: "never-seen"));
    }

    [Fact]
    public void A_message_to_everyone_reaches_every_connection_but_the_senders()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "alice");
        _state.Add("gw2", "c3", "bob");
        _state.Add("gw3", "c4", "carol");

        Assert.Equal(["gw1:1", "gw2:1", "gw3:1"], Everyone(sender: "c1"));
        Assert.Equal(["gw1:2", "gw2:1"], Everyone(sender: "c4"));
        Assert.Equal(["gw1:2", "gw2:1", "gw3:1"], Everyone(sender: "never-seen"));
    }

    [Fact]
    public void A_message_to_everyone_from_the_only_connection_reaches_no_one()
    {
        Assert.Empty(Everyone(sender: "c1"));

        _state.Add("gw1", "c1", "alice");

        Assert.Empty(Everyone(sender: "c1"));
    }

    [Fact]
    public void Everyone_follows_connections_added_and_removed_since_it_was_last_resolved()
    {
        _state.Add("gw1", "c1", "alice");
        Assert.Equal(["gw1:1"], Everyone(sender: "sender"));

        _state.Add("gw2", "c2", "bob");
        Assert.Equal(["gw1:1", "gw2:1"], Everyone(sender: "sender"));

        _state.Remove("c1");
        Assert.Equal(["gw2:1"], Everyone(sender: "sender"));

        _state.Add("gw2", "c3", "carol");
        _state.Add("gw3", "c4", "dave");
        Assert.Equal(["gw2:2", "gw3:1"], Everyone(sender: "sender"));

        _state.RemoveGateway("gw2");
        Assert.Equal(["gw3:1"], Everyone(sender: "sender"));
    }

    [Fact]
    public void Room_recipients_are_built_once_and_reused_until_the_room_changes()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "bob");
        _state.Add("gw3", "c3", "carol");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");

        var first = _state.Resolve(MessageTarget.Room("lobby"), "outsider");
        Assert.Same(first, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));

        _state.Join("c3", "lobby");
        var afterJoin = _state.Resolve(MessageTarget.Room("lobby"), "outsider");
        Assert.NotSame(first, afterJoin);
        Assert.Same(afterJoin, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));

        _state.Leave("c1", "lobby");
        Assert.NotSame(afterJoin, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));
        Assert.Equal(["gw1:1", "gw2:1"], Describe(first));
        Assert.Equal(["gw1:1", "gw2:1", "gw3:1"], Describe(afterJoin));
    }

    [Fact]
    public void Changes_elsewhere_do_not_rebuild_a_rooms_recipients()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "bob");
        _state.Join("c1", "lobby");
        var first = _state.Resolve(MessageTarget.Room("lobby"), "outsider");

        _state.Join("c2", "kitchen");
        _state.Add("gw2", "c3", "carol");
        _state.Remove("c2");

        Assert.Same(first, _state.Resolve(MessageTarget.Room("lobby"), "outsider"));
    }

    [Fact]
    public void Everyone_is_built_once_and_reused_until_a_connection_comes_or_goes()
    {
        _state.Add("gw1", "c1", "alice");
        var first = _state.Resolve(MessageTarget.Everyone, "outsider");
        Assert.Same(first, _state.Resolve(MessageTarget.Everyone, "outsider"));

        // Rooms do not change who everyone is.
        _state.Join("c1", "lobby");
        Assert.Same(first, _state.Resolve(MessageTarget.Everyone, "outsider"));

        _state.Add("gw1", "c2", "bob");
        var second = _state.Resolve(MessageTarget.Everyone, "outsider");
        Assert.NotSame(first, second);
        Assert.Equal(["gw1:1"], Describe(first));
        Assert.Equal(["gw1:2"], Describe(second));
    }

    [Fact]
    public void A_users_recipients_are_built_once_and_reused_until_the_user_changes()
    {
        _state.Add("gw1", "c1", "alice");
        var first = _state.Resolve(MessageTarget.User("alice"), "sender");
        Assert.Same(first, _state.Resolve(MessageTarget.User("alice"), "sender"));

        _state.Add("gw2", "c2", "alice");

        Assert.NotSame(first, _state.Resolve(MessageTarget.User("alice"), "sender"));
    }

    [Fact]
    public void Resolved_room_recipients_are_a_snapshot_that_later_changes_do_not_alter()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "bob");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");
        var everyMember = _state.Resolve(MessageTarget.Room("lobby"), "outsider");
        var butTheSender = _state.Resolve(MessageTarget.Room("lobby"), "c1");

        _state.Leave("c2", "lobby");
        _state.Add("gw1", "c3", "carol");
        _state.Join("c3", "lobby");
        _state.RemoveGateway("gw1");

        Assert.Equal(["gw1:1", "gw2:1"], Describe(everyMember));
        Assert.Equal(["gw2:1"], Describe(butTheSender));
    }

    [Fact]
    public void A_users_connections_are_counted_on_all_gateways()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "alice");
        _state.Add("gw2", "c3", "alice");
        _state.Add("gw2", "c4", "bob");

        Assert.Equal(3, _state.ConnectionsOf("alice"));
        Assert.Equal(1, _state.ConnectionsOf("bob"));
        Assert.Equal(0, _state.ConnectionsOf("carol"));
        Assert.Equal(0, _state.ConnectionsOf("Alice"));

        _state.RemoveGateway("gw2");
        Assert.Equal(1, _state.ConnectionsOf("alice"));
        Assert.Equal(0, _state.ConnectionsOf("bob"));
    }

    [Fact]
    public void A_rooms_members_are_each_user_once_sorted_ordinally_with_the_member_connection_count()
    {
        _state.Add("gw1", "c1", "bob");
        _state.Add("gw2", "c2", "bob");
        _state.Add("gw1", "c3", "alice");
        _state.Add("gw1", "c4", "Zed");
        _state.Add("gw2", "c5", "_x");
        _state.Add("gw2", "c6", "Alice");
        _state.Add("gw2", "c7", "0day");
        _state.Add("gw2", "c8", "eve");
        foreach (var connection in new[] { "c1", "c2", "c3", "c4", "c5", "c6", "c7" })
        {
            _state.Join(connection, "lobby");
        }

        var (connections, users) = _state.MembersOf("lobby");

        Assert.Equal(7, connections);
        Assert.Equal(["0day", "Alice", "Zed", "_x", "alice", "bob"], users);
    }

    [Fact]
    public void A_user_stays_a_member_until_their_last_member_connection_leaves()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw2", "c2", "alice");
        _state.Add("gw2", "c3", "bob");
        _state.Join("c1", "lobby");
        _state.Join("c2", "lobby");
        _state.Join("c3", "lobby");

        _state.Leave("c1", "lobby");
        Assert.Equal("2:alice,bob", Members("lobby"));

        _state.Remove("c2");
        Assert.Equal("1:bob", Members("lobby"));
    }

    [Fact]
    public void A_users_connection_that_did_not_join_does_not_make_them_a_member()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Add("gw1", "c2", "alice");
        _state.Add("gw1", "c3", "bob");
        _state.Join("c3", "lobby");

        Assert.Equal("1:bob", Members("lobby"));
        Assert.Equal(["gw1:1"], Room("lobby"));
    }

    [Fact]
    public void Room_changes_are_applied_by_kind()
    {
        _state.Apply(new RegistryChange(1, RegistryChangeKind.ConnectionAdded, "gw1", "c1", "alice"));
        _state.Apply(new RegistryChange(2, RegistryChangeKind.ConnectionAdded, "gw2", "c2", "bob"));
        _state.Apply(new RegistryChange(3, RegistryChangeKind.RoomJoined, "gw1", "c1", "alice", "lobby"));
        _state.Apply(new RegistryChange(4, RegistryChangeKind.RoomJoined, "gw2", "c2", "bob", "lobby"));
        Assert.Equal(["gw1:1", "gw2:1"], Room("lobby"));

        _state.Apply(new RegistryChange(5, RegistryChangeKind.RoomLeft, "gw1", "c1", "alice", "lobby"));
        Assert.Equal(["gw2:1"], Room("lobby"));

        _state.Apply(new RegistryChange(6, RegistryChangeKind.ConnectionRemoved, "gw2", "c2", "bob"));
        Assert.Empty(Room("lobby"));
        Assert.Equal(0, _state.RoomCount);
    }

    [Fact]
    public void Room_names_are_case_sensitive()
    {
        _state.Add("gw1", "c1", "alice");
        _state.Join("c1", "lobby");

        Assert.Empty(Room("Lobby"));
        Assert.Equal("0:", Members("LOBBY"));

        _state.Leave("c1", "Lobby");
        Assert.Equal(["gw1:1"], Room("lobby"));
    }

    [Fact]
    public void Many_connections_joining_and_leaving_rooms_keep_the_counts_consistent()
    {
        for (var i = 0; i < 300; i++)
        {
            _state.Add($"gw{i % 3}", $"c{i}", $"user{i % 10}");
            _state.Join($"c{i}", $"room{i % 4}");
            _state.Join($"c{i}", "all");
        }

        for (var i = 0; i < 300; i += 2)
        {
            _state.Leave($"c{i}", "all");
        }

        _state.RemoveGateway("gw0");

        // Left: odd i not on gw0 (i % 3 != 0), 100 of them.
        var left = Enumerable.Range(0, 300).Where(i => i % 2 == 1 && i % 3 != 0).ToArray();
        Assert.Equal(left.Length, _state.MembersOf("all").Connections);
        Assert.Equal(
            left.GroupBy(i => $"gw{i % 3}").Select(g => $"{g.Key}:{g.Count()}").Order(StringComparer.Ordinal),
            Room("all"));
        Assert.Equal(
            [.. left.Select(i => $"user{i % 10}").Distinct().Order(StringComparer.Ordinal)],
            _state.MembersOf("all").Users);
        Assert.Equal(200, Enumerable.Range(0, 4).Sum(r => _state.MembersOf($"room{r}").Connections));
    }

    private string[] Room(string room, string sender = "outsider") => Describe(_state.Resolve(MessageTarget.Room(room), sender));

    private string[] Everyone(string sender) => Describe(_state.Resolve(MessageTarget.Everyone, sender));

    /// <summary>"connections:user,user".</summary>
    private string Members(string room)
    {
        var (connections, users) = _state.MembersOf(room);
        return $"{connections}:{string.Join(',', users)}";
    }

    private string[] User(string user) => Describe(_state.Resolve(MessageTarget.User(user), "sender"));

    private string[] Connection(string connection) => Describe(_state.Resolve(MessageTarget.Connection(connection), "sender"));

    // The order of gateways is not part of the contract.
    private static string[] Describe(IReadOnlyList<GatewayRecipients> recipients) =>
        [.. recipients.Select(r => $"{r.GatewayId}:{r.Connections}").Order(StringComparer.Ordinal)];
}
