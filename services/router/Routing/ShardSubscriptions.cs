using ChatPlatform.Contracts;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Sharding;
using ChatPlatform.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace ChatPlatform.Router.Routing;

/// <summary>
/// Subscribes to the inbound channel of each shard the lease manager says this router holds,
/// and hands each message to <see cref="MessageRouter"/>: one at a time per shard, in the order
/// Redis delivered them (<see cref="OrderedSubscription"/>). Before each message, the registry
/// changes that reached this router ahead of it take effect (<see cref="RegistrySynchronizer.CatchUp"/>),
/// so a user welcomed before a message was sent is never answered offline.
/// </summary>
internal sealed class ShardSubscriptions(
    IConnectionMultiplexer redis,
    RegistrySynchronizer registry,
    MessageRouter router,
    ShardOwnership ownership,
    ILogger<ShardSubscriptions> logger) : IShardLeaseListener
{
    private readonly OrderedSubscription?[] _subscriptions = new OrderedSubscription?[ownership.ShardCount];

    public async Task AcquiredAsync(int shard)
    {
        _subscriptions[shard] ??= await OrderedSubscription.SubscribeAsync(
            redis,
            RedisChannel.Literal(RedisNames.InboundChannel(shard)),
            value =>
            {
                // Registry changes that reached this router before the message take effect first.
                registry.CatchUp();
                router.OnInbound(shard, (byte[])value!);
            },
            exception => Log.RouteFailed(logger, shard, exception));
    }

    /// <summary>Returns once the messages that arrived before the unsubscribe have been routed.</summary>
    public async Task ReleasingAsync(int shard)
    {
        if (_subscriptions[shard] is { } subscription)
        {
            _subscriptions[shard] = null;
            await subscription.UnsubscribeAsync();
        }
    }
}
