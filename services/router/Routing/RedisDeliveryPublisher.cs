using System.Collections.Concurrent;
using ChatPlatform.Contracts;
using StackExchange.Redis;

namespace ChatPlatform.Router.Routing;

/// <summary>Publishes on <see cref="RedisNames.GatewayChannel"/>; each gateway's channel name is built once.</summary>
internal sealed class RedisDeliveryPublisher(IConnectionMultiplexer redis) : IDeliveryPublisher
{
    private readonly ISubscriber _subscriber = redis.GetSubscriber();
    private readonly ConcurrentDictionary<string, RedisChannel> _channels = new(StringComparer.Ordinal);

    public Task<long> PublishAsync(string gatewayId, byte[] payload) =>
        _subscriber.PublishAsync(ChannelOf(gatewayId), payload);

    public void Answer(string gatewayId, byte[] payload) =>
        _subscriber.Publish(ChannelOf(gatewayId), payload, CommandFlags.FireAndForget);

    private RedisChannel ChannelOf(string gatewayId) =>
        _channels.GetOrAdd(gatewayId, static id => RedisChannel.Literal(RedisNames.GatewayChannel(id)));
}
