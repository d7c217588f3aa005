using System.Collections.Concurrent;
using ChatPlatform.Contracts;
using StackExchange.Redis;

namespace ChatPlatform.Router.Routing;

/// <summary>Caches each gateway's channel name so publishing to it allocates nothing.</summary>
internal sealed class GatewayChannels
{
    private readonly ConcurrentDictionary<string, RedisChannel> _channels = new(StringComparer.Ordinal);

    public RedisChannel For(string gatewayId) =>
        _channels.GetOrAdd(gatewayId, static id => RedisChannel.Literal(RedisNames.GatewayChannel(id)));
}
