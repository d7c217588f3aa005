using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Commands;

/// <summary><c>join</c> and <c>leave</c>: local first, acked once presence confirms, rolled back when it does not.</summary>
public sealed class MembershipHandlerTests : CommandHarness
{
    [Fact]
    public async Task A_join_is_acked_once_presence_confirms_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"join","id":"5","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"5","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal([("join", "c-alice", "lobby")], _presence.Of("join"));
        Assert.True(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Equal([alice.Connection], _connections.Resolve(MessageTarget.Room("lobby")));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_join_takes_effect_locally_before_presence_is_asked_and_is_acked_only_after_it_answers()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        var confirm = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var memberWhenAsked = false;
        _presence.OnJoin = (connection, room) =>
        {
            memberWhenAsked = _connections.IsMember(connection, room) && _connections.Resolve(MessageTarget.Room(room)).Contains(connection);
            return confirm.Task;
        };

        var handling = HandleAsync(alice, """{"type":"join","id":"5","room":"lobby"}""");
        Assert.True(memberWhenAsked);
        Assert.False(handling.IsCompleted);

        // Anything queued while presence has not answered goes out before the ack.
        alice.Connection.TrySend("\"marker\""u8.ToArray());
        confirm.SetResult(true);
        await handling.WaitAsync(Received.Timeout);

        Assert.Equal("\"marker\"", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"5","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Joining_a_room_again_is_acked_without_asking_presence()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"1","room":"lobby"}""");

        await HandleAsync(alice, """{"type":"join","id":"2","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"1","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"2","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Single(_presence.Of("join"));
        Assert.Equal(1, _connections.RoomCount(alice.Connection));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_join_presence_does_not_answer_in_time_is_undone_and_answered_unavailable()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _presence.OnJoin = (_, _) => Task.FromException<bool>(new PresenceUnavailableException("presence did not answer in time"));

        await HandleAsync(alice, """{"type":"join","id":"5","room":"lobby"}""");

        Assert.Equal(
            """{"type":"error","id":"5","code":"unavailable","message":"presence did not answer in time; not joined"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.False(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Empty(_connections.Resolve(MessageTarget.Room("lobby")));
        Assert.Equal(0, _connections.RoomCount(alice.Connection));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "unavailable"));
        Assert.Equal(["a join presence did not confirm"], _registrySync.Reasons);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_join_presence_refuses_is_undone_and_tells_the_client_to_reconnect()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _presence.OnJoin = (_, _) => Task.FromResult(false);

        await HandleAsync(alice, """{"type":"join","id":"5","room":"lobby"}""");

        Assert.Equal(
            """{"type":"error","id":"5","code":"unavailable","message":"presence no longer knows this connection; reconnect"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.False(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Empty(_connections.Resolve(MessageTarget.Room("lobby")));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task After_a_failed_join_sending_to_the_room_is_forbidden_and_joining_again_asks_presence_again()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _presence.OnJoin = (_, _) => Task.FromException<bool>(new PresenceUnavailableException("the control-plane bus is unavailable"));
        await HandleAsync(alice, """{"type":"join","id":"1","room":"lobby"}""");
        Assert.Equal("the control-plane bus is unavailable; not joined", (await alice.ReceiveAsync()).Json.GetProperty("message").GetString());

        await HandleAsync(alice, """{"type":"send","id":"2","to":{"room":"lobby"},"body":1}""");
        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());

        _presence.OnJoin = (_, _) => Task.FromResult(true);
        await HandleAsync(alice, """{"type":"join","id":"3","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"3","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal(2, _presence.Of("join").Count());
        Assert.True(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Empty(_publisher.Published);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_failed_join_or_a_leave_frees_a_place_under_the_room_limit()
    {
        Configure(new GatewayOptions { MaxRoomsPerConnection = 1 });
        await using var alice = await ConnectAsync("c-alice", "alice");
        _presence.OnJoin = (_, _) => Task.FromException<bool>(new PresenceUnavailableException("presence did not answer in time"));
        await HandleAsync(alice, """{"type":"join","id":"1","room":"a"}""");
        Assert.Equal("unavailable", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        _presence.OnJoin = (_, _) => Task.FromResult(true);

        await HandleAsync(alice, """{"type":"join","id":"2","room":"b"}""");
        await HandleAsync(alice, """{"type":"leave","id":"3","room":"b"}""");
        await HandleAsync(alice, """{"type":"join","id":"4","room":"c"}""");

        Assert.Equal("""{"type":"ack","id":"2","room":"b"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"3","room":"b"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"4","room":"c"}""", (await alice.ReceiveAsync()).Text);
        Assert.True(_connections.IsMember(alice.Connection, "c"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_leave_is_acked_once_presence_confirms_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"5","room":"lobby"}""");

        await HandleAsync(alice, """{"type":"leave","id":"6","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"5","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"6","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal([("leave", "c-alice", "lobby")], _presence.Of("leave"));
        Assert.False(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Empty(_connections.Resolve(MessageTarget.Room("lobby")));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_leave_takes_effect_locally_before_presence_is_asked_and_is_acked_only_after_it_answers()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var memberWhenAsked = true;
        _presence.OnLeave = (connection, room) =>
        {
            memberWhenAsked = _connections.IsMember(connection, room) || _connections.Resolve(MessageTarget.Room(room)).Contains(connection);
            return confirm.Task;
        };

        var handling = HandleAsync(alice, """{"type":"leave","id":"6","room":"lobby"}""");
        Assert.False(memberWhenAsked);
        Assert.False(handling.IsCompleted);

        alice.Connection.TrySend("\"marker\""u8.ToArray());
        confirm.SetResult();
        await handling.WaitAsync(Received.Timeout);

        Assert.Equal("\"marker\"", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"6","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Leaving_a_room_the_connection_is_not_in_is_acked_without_asking_presence()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"leave","id":"6","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"6","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Empty(_presence.Of("leave"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_leave_presence_does_not_confirm_is_undone_and_answered_unavailable()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"5","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        _presence.OnLeave = (_, _) => Task.FromException(new PresenceUnavailableException("presence did not answer in time"));

        await HandleAsync(alice, """{"type":"leave","id":"6","room":"lobby"}""");

        Assert.Equal(
            """{"type":"error","id":"6","code":"unavailable","message":"presence did not answer in time; not left"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.True(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Equal([alice.Connection], _connections.Resolve(MessageTarget.Room("lobby")));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "unavailable"));
        Assert.Equal(["a leave presence did not confirm"], _registrySync.Reasons);
        await alice.AssertNothingMoreAsync();
    }
}
