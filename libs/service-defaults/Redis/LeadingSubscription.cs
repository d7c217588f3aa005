using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Redis;

/// <summary>
/// A channel whose messages must take effect before any message that reached this process after
/// them on another channel: the registry changes a router applies before it routes a message
/// published after them. Redis sends every subscribed channel over one connection in publish
/// order, and StackExchange.Redis queues each message on that connection's reader before the next
/// one, but each channel gets its own queue. So the handler of the other channel calls
/// <see cref="CatchUp"/> first: everything that arrived on this channel before the message it is
/// about to handle is applied by then. A background loop catches up every
/// <see cref="IdleCatchUpInterval"/> too, so changes also take effect when nothing else arrives.
/// Messages are applied one at a time, in arrival order.
/// </summary>
public sealed class LeadingSubscription : IAsyncDisposable
{
    /// <summary>How stale the applied state may get while no other channel's message asks for it.</summary>
    public static readonly TimeSpan IdleCatchUpInterval = TimeSpan.FromMilliseconds(20);

    private readonly IConnectionMultiplexer _redis;
    private readonly ChannelMessageQueue _queue;
    private readonly Action<RedisValue> _apply;
    private readonly Action<Exception> _onApplyFailed;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _idleLoop;

    private LeadingSubscription(IConnectionMultiplexer redis, ChannelMessageQueue queue, Action<RedisValue> apply, Action<Exception> onApplyFailed, TimeProvider time)
    {
        _redis = redis;
        _queue = queue;
        _apply = apply;
        _onApplyFailed = onApplyFailed;
        _idleLoop = Task.Run(() => CatchUpWhileIdleAsync(time));
    }

    public RedisChannel Channel => _queue.Channel;

    /// <summary>
    /// Subscribes; returns once Redis confirmed, or at once while Redis is unreachable (the client
    /// subscribes when it connects). <see cref="ConfirmAsync"/> proves the stream is live.
    /// </summary>
    public static async Task<LeadingSubscription> SubscribeAsync(
        IConnectionMultiplexer redis,
        RedisChannel channel,
        Action<RedisValue> apply,
        Action<Exception> onApplyFailed,
        TimeProvider? time = null)
    {
        var queue = await SubscriptionQueue.SubscribeAsync(redis, channel);
        return new LeadingSubscription(redis, queue, apply, onApplyFailed, time ?? TimeProvider.System);
    }

    /// <summary>Completes once Redis confirms the subscription is live; throws while it is unreachable.</summary>
    public Task ConfirmAsync() => SubscriptionQueue.ConfirmAsync(_redis);

    /// <summary>
    /// Applies every message that has arrived so far. Taking a message off the queue and applying
    /// it happen under one lock, so when this returns nothing that arrived earlier is half done.
    /// </summary>
    public void CatchUp()
    {
        lock (_gate)
        {
            while (_queue.TryRead(out var message))
            {
                try
                {
                    _apply(message.Message);
                }
                catch (Exception exception)
                {
                    _onApplyFailed(exception);
                }
            }
        }
    }

    /// <summary>Unsubscribes; messages that arrived before are still applied by the next <see cref="CatchUp"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _queue.UnsubscribeAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Redis unreachable: the server drops the subscription with the connection, and the
            // client has forgotten it already.
        }
        finally
        {
            _queue.Unsubscribe();
        }

        await _idleLoop;
        _stopping.Dispose();
    }

    private async Task CatchUpWhileIdleAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(IdleCatchUpInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                CatchUp();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
