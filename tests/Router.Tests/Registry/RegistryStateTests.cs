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

    private string[] User(string user) => Describe(_state.Resolve(MessageTarget.User(user), "sender"));

    private string[] Connection(string connection) => Describe(_state.Resolve(MessageTarget.Connection(connection), "sender"));

    // The order of gateways is not part of the contract.
    private static string[] Describe(IReadOnlyList<GatewayRecipients> recipients) =>
        [.. recipients.Select(r => $"{r.GatewayId}:{r.Connections}").Order(StringComparer.Ordinal)];
}
