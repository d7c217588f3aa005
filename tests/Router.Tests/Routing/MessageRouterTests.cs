using System.Diagnostics.Metrics;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Router.History;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Routing;
using ChatPlatform.Router.Sharding;
using ChatPlatform.Router.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Router.Tests.Routing;

/// <summary>
/// <see cref="MessageRouter"/> without Redis: the registry is a <see cref="RegistryCache"/> filled
/// here, and what it publishes is recorded.
/// </summary>
public sealed class MessageRouterTests : IDisposable
{
    private const int Shard = 3;
    private static readonly byte[] Body = """{"text":"hi"}"""u8.ToArray();

    private readonly ManualTimeProvider _time = new();
    private readonly RegistryCache _registry = new();
    private readonly ShardOwnership _ownership;
    private readonly RecordingDeliveryPublisher _publisher = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MessageRouter _router;
    private long _sequence;

    public MessageRouterTests()
    {
        _ownership = new ShardOwnership(16, _time);
        _ownership.Extend(Shard, _time.GetTimestamp(), TimeSpan.FromSeconds(5));
        var metrics = new RouterMetrics(_meters.GetRequiredService<IMeterFactory>(), () => 0, () => 0, () => 0);
        // History off: these tests are about publishing; MessageRouterHistoryTests has storing.
        var history = new HistoryPolicy(Options.Create(new HistoryOptions { Enabled = false }));
        _router = new MessageRouter(_registry, history, _ownership, _publisher, metrics, _time, NullLogger<MessageRouter>.Instance);

        Connect("gw-1", "c-alice", "alice");
        Connect("gw-2", "c-bob-1", "bob");
        Connect("gw-2", "c-bob-2", "bob");
        Connect("gw-1", "c-bob-3", "bob");
    }

    [Fact]
    public void A_message_to_a_user_is_published_once_to_each_gateway_holding_their_connections()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Equal(["gw-1", "gw-2"], _publisher.Deliveries.Select(delivery => delivery.GatewayId).Order());
        var delivery = DataPlaneCodec.DecodeDelivery(_publisher.Deliveries[0].Payload);
        Assert.Equal(("m-1", "alice", "c-alice", MessageTarget.User("bob")), (delivery.MessageId, delivery.FromUser, delivery.FromConnection, delivery.Target));
        Assert.Equal(Body, delivery.Body.ToArray());
    }

    [Fact]
    public void The_outcome_goes_to_the_senders_gateway_with_every_recipient_connection_counted()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        var (gateway, outcome) = SingleOutcome();
        Assert.Equal("gw-1", gateway);
        Assert.Equal(new SendOutcome("m-1", "c-alice", SendStatus.Routed, 3), outcome);
    }

    [Fact]
    public void A_room_costs_one_publish_per_gateway_with_members_never_one_per_member()
    {
        for (var i = 0; i < 50; i++)
        {
            Connect("gw-3", $"c-member-{i}", $"member-{i}");
            Join($"c-member-{i}", "lobby");
        }

        Join("c-alice", "lobby");
        Join("c-bob-1", "lobby");

        _router.OnInbound(Shard, Inbound(MessageTarget.Room("lobby")));

        Assert.Equal(["gw-2", "gw-3"], _publisher.Deliveries.Select(delivery => delivery.GatewayId).Order());
        Assert.Equal(51, SingleOutcome().Outcome.Recipients);
    }

    [Fact]
    public void A_system_senders_message_is_delivered_from_that_system_and_never_from_a_user()
    {
        var message = new InboundMessage("m-1", 1, "gw-1", "api:billing", "", MessageTarget.User("bob"), Body, null, FromSystem: "billing");

        _router.OnInbound(Shard, DataPlaneCodec.Encode(message));

        Assert.All(_publisher.Deliveries, published =>
        {
            var delivery = DataPlaneCodec.DecodeDelivery(published.Payload);
            Assert.Equal(("billing", "", "api:billing"), (delivery.FromSystem, delivery.FromUser, delivery.FromConnection));
        });
        Assert.Equal(new SendOutcome("m-1", "api:billing", SendStatus.Routed, 3), SingleOutcome().Outcome);
    }

    [Fact]
    public void A_moderation_goes_as_it_came_to_each_gateway_holding_its_target_and_counts_the_connections()
    {
        var command = DataPlaneCodec.Encode(new ModerationCommand("d-1", "gw-1", "api:billing", MessageTarget.User("bob"), ModerationAction.Disconnect, "", "bye", null));

        _router.OnInbound(Shard, command);

        Assert.Equal(["gw-1", "gw-2"], _publisher.Deliveries.Select(delivery => delivery.GatewayId).Order());
        Assert.All(_publisher.Deliveries, delivery => Assert.Equal(command, delivery.Payload.ToArray()));
        Assert.Equal(new SendOutcome("d-1", "api:billing", SendStatus.Routed, 3), SingleOutcome().Outcome);
    }

    [Fact]
    public void A_moderation_of_a_user_no_one_holds_is_answered_offline_and_goes_nowhere()
    {
        _router.OnInbound(Shard, DataPlaneCodec.Encode(new ModerationCommand("d-1", "gw-1", "api:billing", MessageTarget.User("carol"), ModerationAction.RemoveFromRoom, "lobby", "", null)));

        Assert.Empty(_publisher.Deliveries);
        Assert.Equal(new SendOutcome("d-1", "api:billing", SendStatus.Offline, 0), SingleOutcome().Outcome);
    }

    [Fact]
    public void A_user_with_no_connection_is_answered_offline_and_nothing_is_delivered()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.User("carol")));

        Assert.Empty(_publisher.Deliveries);
        Assert.Equal(new SendOutcome("m-1", "c-alice", SendStatus.Offline, 0), SingleOutcome().Outcome);
    }

    [Fact]
    public void A_connection_no_one_holds_is_answered_offline()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.Connection("0123456789abcdef")));

        Assert.Empty(_publisher.Deliveries);
        Assert.Equal(SendStatus.Offline, SingleOutcome().Outcome.Status);
    }

    [Fact]
    public void A_room_with_no_one_else_in_it_is_routed_to_no_one_not_offline()
    {
        Join("c-alice", "lobby");

        _router.OnInbound(Shard, Inbound(MessageTarget.Room("lobby")));

        Assert.Empty(_publisher.Deliveries);
        Assert.Equal(new SendOutcome("m-1", "c-alice", SendStatus.Routed, 0), SingleOutcome().Outcome);
    }

    [Fact]
    public void A_gateway_with_no_subscriber_counts_none_of_its_connections()
    {
        _publisher.OnPublish = gateway => Task.FromResult(gateway == "gw-2" ? 0L : 1L);

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Equal(new SendOutcome("m-1", "c-alice", SendStatus.Routed, 1), SingleOutcome().Outcome);
    }

    [Fact]
    public void When_no_gateway_had_a_subscriber_the_user_is_answered_offline()
    {
        _publisher.OnPublish = _ => Task.FromResult(0L);

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Equal(2, _publisher.Deliveries.Count);
        Assert.Equal(new SendOutcome("m-1", "c-alice", SendStatus.Offline, 0), SingleOutcome().Outcome);
    }

    [Fact]
    public void When_every_publish_fails_no_outcome_is_sent_because_a_timed_out_one_may_have_arrived()
    {
        _publisher.OnPublish = _ => Task.FromException<long>(new TimeoutException("timed out"));

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Equal(2, _publisher.Deliveries.Count);
        Assert.Empty(_publisher.Answers);
    }

    [Fact]
    public void When_some_publishes_fail_the_outcome_counts_the_gateways_that_took_it()
    {
        _publisher.OnPublish = gateway => gateway == "gw-2"
            ? Task.FromException<long>(new RedisException("the connection to Redis is gone"))
            : Task.FromResult(1L);

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Equal(new SendOutcome("m-1", "c-alice", SendStatus.Routed, 1), SingleOutcome().Outcome);
    }

    [Fact]
    public void Every_delivery_is_issued_before_the_call_returns_and_the_outcome_waits_for_all_of_them()
    {
        var gw2 = new TaskCompletionSource<long>();
        _publisher.OnPublish = gateway => gateway == "gw-2" ? gw2.Task : Task.FromResult(1L);

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));
        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob"), "m-2"));

        Assert.Equal(4, _publisher.Deliveries.Count);
        Assert.Equal(["m-1", "m-1", "m-2", "m-2"], _publisher.Deliveries.Select(delivery => DataPlaneCodec.DecodeDelivery(delivery.Payload).MessageId));
        Assert.Empty(_publisher.Answers);

        // The outcomes follow on the continuations of the last publish, which need not run inline.
        gw2.SetResult(1);
        Assert.True(SpinWait.SpinUntil(() => _publisher.Answers.Count == 2, TimeSpan.FromSeconds(5)), $"{_publisher.Answers.Count} outcomes");
        Assert.All(_publisher.Answers, answer => Assert.Equal(3, DataPlaneCodec.DecodeOutcome(answer.Payload).Recipients));
    }

    [Fact]
    public void A_message_on_a_shard_this_router_does_not_own_is_dropped_unrouted()
    {
        _router.OnInbound(Shard + 1, Inbound(MessageTarget.User("bob")));

        Assert.Empty(_publisher.Deliveries);
        Assert.Empty(_publisher.Answers);
    }

    [Fact]
    public void A_message_on_a_shard_whose_lease_lapsed_is_dropped_unrouted()
    {
        _time.Advance(TimeSpan.FromSeconds(5));

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Empty(_publisher.Deliveries);
        Assert.Empty(_publisher.Answers);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { (byte)PayloadKind.Delivery, 1, 0 })]
    [InlineData(new byte[] { (byte)PayloadKind.Inbound, 9, 0 })]
    [InlineData(new byte[] { (byte)PayloadKind.Inbound, 1, 0x7F })]
    public void A_malformed_payload_is_dropped_and_the_next_message_is_routed(byte[] payload)
    {
        _router.OnInbound(Shard, payload);

        Assert.Empty(_publisher.Deliveries);
        Assert.Empty(_publisher.Answers);
        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));
        Assert.Single(_publisher.Answers);
    }

    [Fact]
    public void A_room_presence_question_is_answered_to_the_askers_gateway_from_the_registry()
    {
        Join("c-bob-1", "lobby");
        Join("c-bob-2", "lobby");
        Join("c-alice", "lobby");

        _router.OnInbound(Shard, DataPlaneCodec.Encode(new PresenceQuery("q-1", "gw-1", "c-alice", MessageTarget.Room("lobby"), null)));

        Assert.Empty(_publisher.Deliveries);
        var (gateway, payload) = Assert.Single(_publisher.Answers);
        Assert.Equal("gw-1", gateway);
        var answer = DataPlaneCodec.DecodePresenceAnswer(payload);
        Assert.Equal(("q-1", "c-alice", 3), (answer.QueryId, answer.ConnectionId, answer.Connections));
        Assert.Equal(["alice", "bob"], answer.Users);
    }

    [Fact]
    public void A_user_presence_question_is_answered_with_their_connection_count()
    {
        _router.OnInbound(Shard, DataPlaneCodec.Encode(new PresenceQuery("q-1", "gw-2", "c-bob-1", MessageTarget.User("bob"), null)));

        var (gateway, payload) = Assert.Single(_publisher.Answers);
        Assert.Equal("gw-2", gateway);
        Assert.Equal(3, DataPlaneCodec.DecodePresenceAnswer(payload).Connections);
    }

    public void Dispose() => _meters.Dispose();

    private void Connect(string gateway, string connection, string user) =>
        _registry.Apply(new RegistryChange(++_sequence, RegistryChangeKind.ConnectionAdded, gateway, connection, user));

    private void Join(string connection, string room) =>
        _registry.Apply(new RegistryChange(++_sequence, RegistryChangeKind.RoomJoined, "gw-unused", connection, "unused", room));

    private static byte[] Inbound(MessageTarget target, string messageId = "m-1") =>
        DataPlaneCodec.Encode(new InboundMessage(messageId, 1_700_000_000_123, "gw-1", "c-alice", "alice", target, Body, null));

    private (string Gateway, SendOutcome Outcome) SingleOutcome()
    {
        var (gateway, payload) = Assert.Single(_publisher.Answers);
        return (gateway, DataPlaneCodec.DecodeOutcome(payload));
    }
}
