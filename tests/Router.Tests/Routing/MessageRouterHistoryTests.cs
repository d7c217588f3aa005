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

/// <summary><see cref="MessageRouter"/> with history on: which messages are stored, in which stream, and what the sender is told.</summary>
public sealed class MessageRouterHistoryTests : IDisposable
{
    private const int Shard = 3;
    private static readonly byte[] Body = """{"text":"hi"}"""u8.ToArray();

    private readonly ManualTimeProvider _time = new();
    private readonly RegistryCache _registry = new();
    private readonly RecordingDeliveryPublisher _publisher = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MessageRouter _router;
    private long _sequence;

    public MessageRouterHistoryTests()
    {
        var ownership = new ShardOwnership(16, _time);
        ownership.Extend(Shard, _time.GetTimestamp(), TimeSpan.FromSeconds(5));
        var metrics = new RouterMetrics(_meters.GetRequiredService<IMeterFactory>(), () => 0, () => 0, () => 0);
        var history = new HistoryPolicy(Options.Create(new HistoryOptions { DisabledRoomPrefixes = ["live:"] }));
        _router = new MessageRouter(_registry, history, ownership, _publisher, metrics, _time, NullLogger<MessageRouter>.Instance);

        Connect("gw-1", "c-alice", "alice");
        Connect("gw-2", "c-bob-1", "bob");
        Connect("gw-1", "c-bob-2", "bob");
    }

    [Fact]
    public void A_message_to_a_user_is_stored_in_their_stream_and_published_to_their_gateways_in_one_step()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        var call = Assert.Single(_publisher.Stored);
        Assert.Equal("user:bob", call.Stream);
        Assert.Null(call.ResumableUser);
        Assert.Equal(["gw-1", "gw-2"], call.GatewayIds.Order());
        Assert.Empty(_publisher.Deliveries);

        var outcome = SingleOutcome();
        Assert.Equal((SendStatus.Routed, 2, true), (outcome.Status, outcome.Recipients, outcome.Stored));
    }

    [Fact]
    public void The_prefix_the_script_finishes_is_the_delivery_up_to_its_stream()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        var prefix = Assert.Single(_publisher.Stored).Prefix;
        var whole = DataPlaneCodec.Encode(new Delivery("m-1", 1_700_000_000_123, "alice", "c-alice", MessageTarget.User("bob"), Body, null, new HistoryPosition("user:bob", "e1", 1)));
        Assert.Equal(prefix, whole[..prefix.Length]);
    }

    [Fact]
    public void A_user_with_no_live_connection_is_stored_only_if_they_can_resume()
    {
        _publisher.OnPublishStored = call => Task.FromResult<StoredPublish?>(call.ResumableUser is null ? new StoredPublish("e1", 1, []) : null);

        _router.OnInbound(Shard, Inbound(MessageTarget.User("carol")));

        var call = Assert.Single(_publisher.Stored);
        Assert.Equal(("user:carol", "carol"), (call.Stream, call.ResumableUser));
        Assert.Empty(call.GatewayIds);
        var outcome = SingleOutcome();
        Assert.Equal((SendStatus.Offline, false), (outcome.Status, outcome.Stored));
    }

    [Fact]
    public void A_user_who_can_resume_gets_it_stored_and_the_sender_an_ack_for_no_one()
    {
        _router.OnInbound(Shard, Inbound(MessageTarget.User("carol")));

        var outcome = SingleOutcome();
        Assert.Equal((SendStatus.Routed, 0, true), (outcome.Status, outcome.Recipients, outcome.Stored));
    }

    [Fact]
    public void A_room_message_is_stored_even_with_nobody_else_in_the_room()
    {
        Join("c-alice", "lobby");

        _router.OnInbound(Shard, Inbound(MessageTarget.Room("lobby")));

        var call = Assert.Single(_publisher.Stored);
        Assert.Equal(("room:lobby", null), (call.Stream, call.ResumableUser));
        Assert.Empty(call.GatewayIds);
        var outcome = SingleOutcome();
        Assert.Equal((SendStatus.Routed, 0, true), (outcome.Status, outcome.Recipients, outcome.Stored));
    }

    [Fact]
    public void Connections_everyone_and_rooms_with_history_off_are_published_but_not_stored()
    {
        Join("c-alice", "live:match");
        Join("c-bob-1", "live:match");

        _router.OnInbound(Shard, Inbound(MessageTarget.Connection("c-bob-1"), "m-1"));
        _router.OnInbound(Shard, Inbound(MessageTarget.Everyone, "m-2"));
        _router.OnInbound(Shard, Inbound(MessageTarget.Room("live:match"), "m-3"));

        Assert.Empty(_publisher.Stored);
        Assert.Equal(4, _publisher.Deliveries.Count);
        Assert.All(_publisher.Deliveries, delivery => Assert.Null(DataPlaneCodec.DecodeDelivery(delivery.Payload).Position));
        Assert.All(_publisher.Answers, answer => Assert.False(DataPlaneCodec.DecodeOutcome(answer.Payload).Stored));
    }

    [Fact]
    public void A_gateway_whose_publish_reached_no_subscriber_counts_no_recipients()
    {
        _publisher.OnPublishStored = call => Task.FromResult<StoredPublish?>(new StoredPublish("e1", 7, [.. call.GatewayIds.Select(gateway => gateway == "gw-2" ? 0L : 1L)]));

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        var outcome = SingleOutcome();
        Assert.Equal((SendStatus.Routed, 1, true), (outcome.Status, outcome.Recipients, outcome.Stored));
    }

    [Fact]
    public void History_refused_by_Redis_is_answered_unavailable_because_nothing_was_sent()
    {
        _publisher.OnPublishStored = _ => Task.FromException<StoredPublish?>(new RedisServerException(RedisErrorKind.OutOfMemory, CommandFlags.None, "OOM command not allowed when used memory > 'maxmemory'."));

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Equal(SendStatus.Unavailable, SingleOutcome().Status);
    }

    [Fact]
    public void History_that_timed_out_gets_no_outcome_because_it_may_have_been_sent()
    {
        _publisher.OnPublishStored = _ => Task.FromException<StoredPublish?>(new RedisTimeoutException(CommandFlags.None, "timed out", CommandStatus.Sent));

        _router.OnInbound(Shard, Inbound(MessageTarget.User("bob")));

        Assert.Empty(_publisher.Answers);
    }

    public void Dispose() => _meters.Dispose();

    private void Connect(string gateway, string connection, string user) =>
        _registry.Apply(new RegistryChange(++_sequence, RegistryChangeKind.ConnectionAdded, gateway, connection, user));

    private void Join(string connection, string room) =>
        _registry.Apply(new RegistryChange(++_sequence, RegistryChangeKind.RoomJoined, "gw-unused", connection, "unused", room));

    private static byte[] Inbound(MessageTarget target, string messageId = "m-1") =>
        DataPlaneCodec.Encode(new InboundMessage(messageId, 1_700_000_000_123, "gw-1", "c-alice", "alice", target, Body, null));

    private SendOutcome SingleOutcome()
    {
        var (gateway, payload) = Assert.Single(_publisher.Answers);
        Assert.Equal("gw-1", gateway);
        return DataPlaneCodec.DecodeOutcome(payload);
    }
}
