using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Redis;

/// <summary>How <see cref="OrderedSubscription"/> and <see cref="LeadingSubscription"/> subscribe.</summary>
internal static class SubscriptionQueue
{
    /// <summary>
    /// Subscribes a new queue to <paramref name="channel"/>. The subscription is recorded even
    /// while Redis is unreachable (the client subscribes whenever it connects), so this never
    /// fails for an outage; an awaited SUBSCRIBE would throw then and leave behind a queue nobody
    /// reads. It returns once Redis has confirmed, or at once when Redis is unreachable.
    /// </summary>
    public static async Task<ChannelMessageQueue> SubscribeAsync(IConnectionMultiplexer redis, RedisChannel channel)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(channel, CommandFlags.FireAndForget);
        try
        {
            await ConfirmAsync(redis);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Recorded; the client subscribes once it reconnects.
        }

        return queue;
    }

    /// <summary>
    /// Completes once Redis has answered a PING sent on the subscription connection after every
    /// subscription issued so far: they are live. Throws while Redis is unreachable.
    /// </summary>
    public static Task ConfirmAsync(IConnectionMultiplexer redis) => redis.GetSubscriber().PingAsync();
}
