using ChatPlatform.Gateway.Authentication;
using System.Text;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Tests.Support;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Commands;

public sealed class ClientCommandHandlerTests : IDisposable
{
    private const int ShardCount = 16;
    private const string GatewayId = "gw-test";
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricRecorder _metrics;
    private readonly LocalConnections _connections = new();
    private readonly RecordingPresenceClient _presence = new();
    private readonly RecordingRegistrySync _registrySync = new();
    private readonly RecordingInboundPublisher _publisher = new();
    private PendingRequests _pending = null!;
    private Acknowledgements _acknowledgements = null!;
    private ClientCommandHandler _handler = null!;

    public ClientCommandHandlerTests()
    {
        _metrics = new MetricRecorder(_meters);
        Configure(new GatewayOptions());
    }

    [Fact]
    public async Task A_malformed_frame_is_answered_with_bad_request_and_goes_nowhere()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"join","id":"1","room":"no spaces"}""");

        var error = (await alice.ReceiveAsync()).Json;
        Assert.Equal("\"1\"", error.GetProperty("id").GetRawText());
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal("\"room\" must be 1-128 letters, digits, '-', '_', '.' or ':'", error.GetProperty("message").GetString());
        Assert.Empty(_presence.Calls);
        Assert.Empty(_publisher.Published);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "bad_request"));
        await alice.AssertNothingMoreAsync();
    }

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
    public async Task A_connection_can_join_up_to_the_configured_number_of_rooms()
    {
        Configure(new GatewayOptions { MaxRoomsPerConnection = 3 });
        await using var alice = await ConnectAsync("c-alice", "alice");
        foreach (var room in new[] { "a", "b", "c" })
        {
            await HandleAsync(alice, $$"""{"type":"join","id":"{{room}}","room":"{{room}}"}""");
            Assert.Equal($$"""{"type":"ack","id":"{{room}}","room":"{{room}}"}""", (await alice.ReceiveAsync()).Text);
        }

        await HandleAsync(alice, """{"type":"join","id":"d","room":"d"}""");

        Assert.Equal(
            """{"type":"error","id":"d","code":"bad_request","message":"a connection can be in at most 3 rooms"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.False(_connections.IsMember(alice.Connection, "d"));
        Assert.DoesNotContain(_presence.Calls, call => call.Room == "d");
        Assert.Equal(3, _connections.RoomCount(alice.Connection));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "bad_request"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task The_room_limit_is_the_documented_100_by_default()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        for (var i = 0; i < 100; i++)
        {
            await HandleAsync(alice, $$"""{"type":"join","room":"room-{{i}}"}""");
            Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        }

        await HandleAsync(alice, """{"type":"join","room":"room-100"}""");

        Assert.Equal("a connection can be in at most 100 rooms", (await alice.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Equal(100, _connections.RoomCount(alice.Connection));
    }

    [Fact]
    public async Task At_the_room_limit_joining_a_room_already_joined_is_still_acked()
    {
        Configure(new GatewayOptions { MaxRoomsPerConnection = 1 });
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"1","room":"lobby"}""");

        await HandleAsync(alice, """{"type":"join","id":"2","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"1","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"2","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
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
    public async Task A_send_read_before_the_close_does_not_wait_for_a_router_once_the_connection_is_gone()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        using var closed = new CancellationTokenSource();
        await closed.CancelAsync();
        _publisher.OnPublish = (_, _) => Task.FromCanceled<bool>(closed.Token);

        await _handler.HandleAsync(alice.Connection, Encoding.UTF8.GetBytes("""{"type":"send","id":"7","to":{"user":"bob"},"body":"bye"}"""), closed.Token);

        Assert.Equal(
            """{"type":"error","id":"7","code":"unavailable","message":"the connection closed; the message was not sent"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task A_publish_that_fails_unexpectedly_leaves_no_request_waiting_forever()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _publisher.OnPublish = (_, _) => Task.FromException<bool>(new ObjectDisposedException("multiplexer"));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => HandleAsync(alice, """{"type":"send","id":"8","to":{"user":"bob"},"body":"x"}"""));

        Assert.Equal(0, _pending.Count);
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

    [Fact]
    public async Task Sending_to_a_room_the_connection_has_not_joined_is_forbidden_and_not_published()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"room":"lobby"},"body":"hi all"}""");

        Assert.Equal(
            """{"type":"error","id":"4","code":"forbidden","message":"join room lobby before sending to it"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);
        Assert.Equal(0, _pending.Count);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Only_the_connection_that_joined_may_send_to_the_room_not_the_users_other_connections()
    {
        await using var first = await ConnectAsync("c-alice-1", "alice");
        await using var second = await ConnectAsync("c-alice-2", "alice");
        await HandleAsync(first, """{"type":"join","room":"lobby"}""");

        await HandleAsync(second, """{"type":"send","id":"4","to":{"room":"lobby"},"body":1}""");

        Assert.Equal("join room lobby before sending to it", (await second.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Empty(_publisher.Published);
        await second.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_member_sending_to_its_room_publishes_the_message_on_its_shard()
    {
        await using var alice = await ConnectAsync("3f9a0c1be2d47a85", "alice");
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"room":"lobby"},"from":{"user":"mallory"},"body":{"text":"hi all"}}""");

        var (shard, payload) = Assert.Single(_publisher.Published);
        Assert.Equal(InboundShards.Of("3f9a0c1be2d47a85", ShardCount), shard);
        var message = DataPlaneCodec.DecodeInbound(payload);
        Assert.Equal(MessageTarget.Room("lobby"), message.Target);
        Assert.Equal(GatewayId, message.GatewayId);
        Assert.Equal("3f9a0c1be2d47a85", message.ConnectionId);
        Assert.Equal("alice", message.UserId);
        Assert.Equal("""{"text":"hi all"}""", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), message.Timestamp);
        Assert.Matches("^[0-9a-f]{32}$", message.MessageId);
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public async Task A_room_message_is_acked_with_the_routers_recipient_count()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        await HandleAsync(alice, """{"type":"send","id":"4","to":{"room":"lobby"},"body":"hi all"}""");
        var messageId = DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload).MessageId;

        _acknowledgements.OnOutcome(new SendOutcome(messageId, "c-alice", SendStatus.Routed, 1));

        Assert.Equal($$"""{"type":"ack","id":"4","message":"{{messageId}}","recipients":1}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task After_leaving_a_room_sending_to_it_is_forbidden_again()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"1","room":"lobby"}""");
        await HandleAsync(alice, """{"type":"leave","id":"2","room":"lobby"}""");

        await HandleAsync(alice, """{"type":"send","id":"3","to":{"room":"lobby"},"body":1}""");

        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        Assert.Empty(_publisher.Published);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Sending_to_everyone_is_forbidden_unless_broadcast_is_allowed()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal(
            """{"type":"error","id":"4","code":"forbidden","message":"sending to everyone is turned off on this server"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Sending_to_everyone_is_published_when_broadcast_is_allowed()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        var (shard, payload) = Assert.Single(_publisher.Published);
        Assert.Equal(InboundShards.Of("c-alice", ShardCount), shard);
        var message = DataPlaneCodec.DecodeInbound(payload);
        Assert.Equal(MessageTarget.Everyone, message.Target);
        Assert.Equal("c-alice", message.ConnectionId);
        Assert.Equal("\"announcement\"", Encoding.UTF8.GetString(message.Body.Span));

        _acknowledgements.OnOutcome(new SendOutcome(message.MessageId, "c-alice", SendStatus.Routed, 7));
        Assert.Equal($$"""{"type":"ack","id":"4","message":"{{message.MessageId}}","recipients":7}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Theory]
    [InlineData("""{"type":"presence","id":"7","room":"lobby"}""", TargetKind.Room, "lobby")]
    [InlineData("""{"type":"presence","id":"7","user":"bob"}""", TargetKind.User, "bob")]
    public async Task A_presence_question_is_published_on_the_askers_shard_by_anyone(string frame, TargetKind kind, string name)
    {
        // Not a member of the room: anyone may ask.
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, frame);

        var (shard, payload) = Assert.Single(_publisher.Published);
        Assert.Equal(InboundShards.Of("c-alice", ShardCount), shard);
        Assert.Equal(PayloadKind.PresenceQuery, DataPlaneCodec.PeekKind(payload));
        var query = DataPlaneCodec.DecodePresenceQuery(payload);
        Assert.Equal(new MessageTarget(kind, name), query.Target);
        Assert.Equal(GatewayId, query.GatewayId);
        Assert.Equal("c-alice", query.ConnectionId);
        Assert.Matches("^[0-9a-f]{32}$", query.QueryId);
        Assert.Equal(1, _pending.Count);
        Assert.Empty(_presence.Calls);
    }

    [Fact]
    public async Task A_room_presence_question_is_answered_with_the_routers_answer()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"presence","id":"7","room":"lobby"}""");
        var query = DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload);

        _acknowledgements.OnAnswer(new PresenceAnswer(query.QueryId, "c-alice", 2, ["alice", "bob"]));

        Assert.Equal("""{"type":"presence","id":"7","room":"lobby","users":["alice","bob"]}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_user_presence_question_is_answered_with_the_routers_answer()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"presence","id":"8","user":"bob"}""");
        var query = DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload);

        _acknowledgements.OnAnswer(new PresenceAnswer(query.QueryId, "c-alice", 2, []));

        Assert.Equal("""{"type":"presence","id":"8","user":"bob","online":true,"connections":2}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_presence_question_no_router_answers_gets_unavailable_after_the_ack_timeout()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"presence","id":"8","user":"bob"}""");

        _time.Advance(AckTimeout);
        _acknowledgements.ExpireOverdue();

        var error = (await alice.ReceiveAsync()).Json;
        Assert.Equal("8", error.GetProperty("id").GetString());
        Assert.Equal("unavailable", error.GetProperty("code").GetString());
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task An_answer_that_arrives_before_the_publish_returns_is_still_delivered_and_never_times_out()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _publisher.OnPublish = (_, payload) =>
        {
            _acknowledgements.OnAnswer(new PresenceAnswer(DataPlaneCodec.DecodePresenceQuery(payload).QueryId, "c-alice", 0, []));
            return Task.FromResult(true);
        };

        await HandleAsync(alice, """{"type":"presence","id":"8","user":"bob"}""");
        _time.Advance(AckTimeout * 2);
        _acknowledgements.ExpireOverdue();

        Assert.Equal("""{"type":"presence","id":"8","user":"bob","online":false,"connections":0}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Theory]
    [InlineData("""{"type":"send","id":"1","to":{"user":"bob"},"body":1}""")]
    [InlineData("""{"type":"presence","id":"1","room":"lobby"}""")]
    public async Task A_request_no_router_takes_is_answered_unavailable_at_once(string frame)
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _publisher.OnPublish = (_, _) => Task.FromResult(false);

        await HandleAsync(alice, frame);

        Assert.Equal(
            """{"type":"error","id":"1","code":"unavailable","message":"no router is available; the message was not sent"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_request_redis_does_not_take_in_time_is_answered_unavailable_at_once()
    {
        // StackExchange.Redis 1.2.6 has no public constructor for its exceptions; its timeouts
        // and a plain TimeoutException take the same path.
        await using var alice = await ConnectAsync("c-alice", "alice");
        var exception = new TimeoutException("Timeout performing PUBLISH");
        _publisher.OnPublish = (_, _) => Task.FromException<bool>(exception);

        await HandleAsync(alice, """{"type":"presence","id":"1","room":"lobby"}""");

        Assert.Equal(
            """{"type":"error","id":"1","code":"unavailable","message":"the message bus is unavailable; the message was not sent"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "unavailable"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_private_room_cannot_be_joined_without_a_token_that_lists_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-b"]));

        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");

        Assert.Equal(
            """{"type":"error","id":"1","code":"forbidden","message":"room private:team-a is private; it needs a token that lists it"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Empty(_presence.Calls);
        Assert.False(_connections.IsMember(alice.Connection, "private:team-a"));
        Assert.Equal(0, _connections.RoomCount(alice.Connection));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_development_user_cannot_join_a_private_room()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");

        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        Assert.Empty(_presence.Calls);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_private_room_the_token_lists_is_joined_like_any_other()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));

        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");

        Assert.Equal("""{"type":"ack","id":"1","room":"private:team-a"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal([("join", "c-alice", "private:team-a")], _presence.Of("join"));
        Assert.True(_connections.IsMember(alice.Connection, "private:team-a"));
        await alice.AssertNothingMoreAsync();
    }

    [Theory]
    [InlineData("private:team-ab")]
    [InlineData("private:team")]
    [InlineData("private:TEAM-A")]
    public async Task A_grant_is_for_exactly_the_room_it_names(string room)
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));

        await HandleAsync(alice, $$"""{"type":"join","id":"1","room":"{{room}}"}""");

        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        Assert.Empty(_presence.Calls);
    }

    [Theory]
    [InlineData("team:a")]
    [InlineData("privateroom")]
    [InlineData("my-private:room")]
    public async Task Only_rooms_starting_with_private_colon_are_private(string room)
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token());

        await HandleAsync(alice, $$"""{"type":"join","id":"1","room":"{{room}}"}""");

        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_connection_refused_a_private_room_cannot_send_to_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));
        await using var mallory = await ConnectAsync("c-mallory", "mallory", Token());
        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        await HandleAsync(mallory, """{"type":"join","id":"1","room":"private:team-a"}""");
        Assert.Equal("forbidden", (await mallory.ReceiveAsync()).Json.GetProperty("code").GetString());

        await HandleAsync(mallory, """{"type":"send","id":"2","to":{"room":"private:team-a"},"body":"let me in"}""");

        Assert.Equal(
            """{"type":"error","id":"2","code":"forbidden","message":"join room private:team-a before sending to it"}""",
            (await mallory.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);
        Assert.Equal([alice.Connection], _connections.Resolve(MessageTarget.Room("private:team-a")));
        await mallory.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Who_is_in_a_private_room_is_asked_only_with_a_token_that_lists_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));
        await using var mallory = await ConnectAsync("c-mallory", "mallory", Token(rooms: ["private:team-b"]));

        await HandleAsync(mallory, """{"type":"presence","id":"7","room":"private:team-a"}""");
        Assert.Equal(
            """{"type":"error","id":"7","code":"forbidden","message":"room private:team-a is private; it needs a token that lists it"}""",
            (await mallory.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);

        await HandleAsync(alice, """{"type":"presence","id":"8","room":"private:team-a"}""");
        var query = DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload);
        Assert.Equal(MessageTarget.Room("private:team-a"), query.Target);
        Assert.Equal("c-alice", query.ConnectionId);
        await mallory.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Asking_about_a_user_needs_no_grant()
    {
        await using var mallory = await ConnectAsync("c-mallory", "mallory", Token());

        await HandleAsync(mallory, """{"type":"presence","id":"7","user":"alice"}""");

        Assert.Equal(TargetKind.User, DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload).Target.Kind);
    }

    [Fact]
    public async Task Sending_to_everyone_with_a_token_needs_the_admin_role()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var alice = await ConnectAsync("c-alice", "alice", Token(roles: ["moderator"], rooms: ["admin"]));

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        var error = (await alice.ReceiveAsync()).Json;
        Assert.Equal("4", error.GetProperty("id").GetString());
        Assert.Equal("forbidden", error.GetProperty("code").GetString());
        Assert.Equal("sending to everyone needs the 'admin' role", error.GetProperty("message").GetString());
        Assert.Empty(_publisher.Published);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task An_admin_may_send_to_everyone_when_broadcast_is_allowed()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var root = await ConnectAsync("c-root", "root", Token(roles: ["admin"]));

        await HandleAsync(root, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        var message = DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload);
        Assert.Equal(MessageTarget.Everyone, message.Target);
        Assert.Equal("root", message.UserId);
    }

    [Fact]
    public async Task Even_an_admin_may_not_send_to_everyone_when_broadcast_is_off()
    {
        await using var root = await ConnectAsync("c-root", "root", Token(roles: ["admin"]));

        await HandleAsync(root, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal("sending to everyone is turned off on this server", (await root.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_development_user_may_send_to_everyone_when_broadcast_is_allowed()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal(MessageTarget.Everyone, DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload).Target);
    }

    [Fact]
    public async Task The_admin_role_can_be_configured()
    {
        Configure(new GatewayOptions { AllowBroadcast = true }, new AuthOptions { Jwt = new JwtOptions { AdminRole = "broadcaster" } });
        await using var admin = await ConnectAsync("c-admin", "admin", Token(roles: ["admin"]));
        await using var broadcaster = await ConnectAsync("c-broadcaster", "broadcaster", Token(roles: ["broadcaster"]));

        await HandleAsync(admin, """{"type":"send","id":"1","to":{"everyone":true},"body":1}""");
        await HandleAsync(broadcaster, """{"type":"send","id":"2","to":{"everyone":true},"body":2}""");

        Assert.Equal("sending to everyone needs the 'broadcaster' role", (await admin.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Equal("c-broadcaster", DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload).ConnectionId);
    }

    [Theory]
    [InlineData("""{"type":"send","id":"1","to":{"user":"bob"},"from":"mallory","user":"mallory","body":"hi"}""")]
    [InlineData("""{"type":"send","id":"1","from":{"user":"mallory","connection":"0000000000000000"},"to":{"user":"bob"},"body":"hi"}""")]
    [InlineData("""{"type":"send","id":"1","to":{"user":"bob"},"body":"hi","sender":"mallory","userId":"mallory","connection":"0000000000000000"}""")]
    [InlineData("""{"type":"send","id":"1","to":{"room":"lobby"},"from":{"user":"mallory"},"user":"mallory","body":"hi"}""")]
    public async Task Sender_fields_a_client_puts_in_a_frame_do_not_change_who_sent_it(string frame)
    {
        await using var alice = await ConnectAsync("3f9a0c1be2d47a85", "alice", Token(roles: ["member"]));
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());

        await HandleAsync(alice, frame);

        var message = DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload);
        Assert.Equal("alice", message.UserId);
        Assert.Equal("3f9a0c1be2d47a85", message.ConnectionId);
        Assert.Equal(GatewayId, message.GatewayId);
        Assert.Equal("\"hi\"", Encoding.UTF8.GetString(message.Body.Span));
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meters.Dispose();
    }

    /// <summary>Builds the handler and what answers for it with <paramref name="options"/>.</summary>
    private void Configure(GatewayOptions options, AuthOptions? auth = null)
    {
        options.AckTimeout = AckTimeout;
        var gatewayOptions = Options.Create(options);
        _pending = new PendingRequests(_time, gatewayOptions);
        var metrics = new GatewayMetrics(_meters, _connections, _pending);
        _acknowledgements = new Acknowledgements(_pending, metrics, _time, gatewayOptions);
        _handler = new ClientCommandHandler(
            new GatewayIdentity(GatewayId, "0193a6b2c3d47e8f9a0b1c2d3e4f5a6b"),
            _connections,
            _presence,
            _registrySync,
            _publisher,
            _pending,
            _acknowledgements,
            gatewayOptions,
            Options.Create(auth ?? new AuthOptions()),
            Options.Create(new ShardingOptions { ShardCount = ShardCount }),
            metrics,
            _time,
            NullLogger<ClientCommandHandler>.Instance);
    }

    /// <summary>A connection as the endpoint leaves it after the welcome: known locally, its welcome read.</summary>
    private async Task<ConnectedClient> ConnectAsync(string id, string user, ConnectionGrants? grants = null)
    {
        var client = ConnectedClient.Start(new ClientConnection(id, user, 64, TimeSpan.FromSeconds(30), grants: grants), WebSocketPair.Create());
        _connections.Add(client.Connection);
        await client.SkipWelcomeAsync();
        return client;
    }

    /// <summary>What a token grants: its roles and private rooms, for an hour.</summary>
    private ConnectionGrants Token(string[]? roles = null, string[]? rooms = null) =>
        new(true, (roles ?? []).ToHashSet(StringComparer.Ordinal), (rooms ?? []).ToHashSet(StringComparer.Ordinal), _time.GetUtcNow().AddHours(1));

    private Task HandleAsync(ConnectedClient client, string frame) =>
        _handler.HandleAsync(client.Connection, Encoding.UTF8.GetBytes(frame));
}
