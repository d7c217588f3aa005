using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Redis;

/// <summary>
/// A subscription to one channel whose messages are handled one at a time, in the order Redis
/// delivered them (a <see cref="ChannelMessageQueue"/> drained by one loop). StackExchange.Redis
/// runs handler-style subscriptions concurrently on the thread pool, which loses the order that
/// per-sender ordering and the registry change stream depend on.
/// Survives reconnects: the client resubscribes by itself, and messages published while the
/// connection was down are lost (Redis pub/sub keeps nothing).
/// </summary>
public sealed class OrderedSubscription : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ChannelMessageQueue _queue;
    private readonly Task _loop;

    private OrderedSubscription(IConnectionMultiplexer redis, ChannelMessageQueue queue, Action<RedisValue> handler, Action<Exception> onHandlerFailed)
    {
        _redis = redis;
        _queue = queue;
        _loop = Task.Run(() => RunAsync(handler, onHandlerFailed));
    }

    public RedisChannel Channel => _queue.Channel;

    /// <summary>
    /// Subscribes and starts handling; returns once Redis confirmed the subscription, or at once
    /// while Redis is unreachable (the client subscribes when it connects). If
    /// <paramref name="handler"/> throws, <paramref name="onHandlerFailed"/> is told and the next
    /// message is handled.
    /// </summary>
    public static async Task<OrderedSubscription> SubscribeAsync(
        IConnectionMultiplexer redis,
        RedisChannel channel,
        Action<RedisValue> handler,
        Action<Exception> onHandlerFailed)
    {
        var queue = await SubscriptionQueue.SubscribeAsync(redis, channel);
        return new OrderedSubscription(redis, queue, handler, onHandlerFailed);
    }

    /// <summary>
    /// Stops receiving; completes once every message that arrived before the unsubscribe has been
    /// handled, so a caller can hand the channel over knowing nothing is still in flight here.
    /// </summary>
    public async Task UnsubscribeAsync()
    {
        try
        {
            // The client forgets the subscription as soon as it sends UNSUBSCRIBE, and drops what
            // is still unread on its socket for this channel. A PING on the subscription
            // connection is answered after every message published before it, so once it
            // returns, all of them are in the queue.
            await SubscriptionQueue.ConfirmAsync(_redis);
            await _queue.UnsubscribeAsync();
        }
        finally
        {
            // When the server could not be told, the client has still dropped the subscription;
            // this completes the queue, so the loop ends.
            _queue.Unsubscribe();
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await UnsubscribeAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Shutting down with Redis unreachable: the server drops the subscription with the connection.
        }
    }

    private async Task RunAsync(Action<RedisValue> handler, Action<Exception> onHandlerFailed)
    {
        await foreach (var message in _queue)
        {
            try
            {
                handler(message.Message);
            }
            catch (Exception exception)
            {
                onHandlerFailed(exception);
            }
        }
    }
}
