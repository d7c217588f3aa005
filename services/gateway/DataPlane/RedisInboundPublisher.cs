using ChatPlatform.Contracts;
using ChatPlatform.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Publishes on the shard's channel. PUBLISH answers how many subscribers received the message;
/// zero means no router owns the shard at that moment (it is moving between routers), which is
/// safe to retry with backoff until <see cref="GatewayOptions.RouteRetryBudget"/> runs out.
/// </summary>
internal sealed class RedisInboundPublisher : IInboundPublisher
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryBudget;
    private readonly RedisChannel[] _channels;

    public RedisInboundPublisher(IConnectionMultiplexer redis, IOptions<ShardingOptions> sharding, IOptions<GatewayOptions> options, TimeProvider time)
    {
        _redis = redis;
        _time = time;
        _retryBudget = options.Value.RouteRetryBudget;
        _channels = [.. Enumerable.Range(0, sharding.Value.ShardCount).Select(shard => RedisChannel.Literal(RedisNames.InboundChannel(shard)))];
    }

    public async Task<bool> PublishAsync(int shard, byte[] payload, CancellationToken cancellationToken)
    {
        var subscriber = _redis.GetSubscriber();
        var startedAt = _time.GetTimestamp();
        var delay = FirstRetryDelay;
        while (true)
        {
            if (await subscriber.PublishAsync(_channels[shard], payload) > 0)
            {
                return true;
            }

            var left = _retryBudget - _time.GetElapsedTime(startedAt);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(delay < left ? delay : left, _time, cancellationToken);
            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }
}
