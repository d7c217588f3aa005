using ChatPlatform.Contracts;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Routing;
using Microsoft.Extensions.Options;
using ChatPlatform.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace ChatPlatform.Router.Sharding;

/// <summary>
/// Holds this router's share of the inbound shards. Each shard is a Redis lease (one owner,
/// renewed every <see cref="RouterOptions.LeaseRenewInterval"/>, expiring after
/// <see cref="RouterOptions.LeaseTtl"/>); the owner alone subscribes to the shard's channel.
/// Handover never overlaps: a shard is unsubscribed before its lease is released, subscribed
/// only after it is acquired, and a lapsed lease stops processing (<see cref="ShardOwnership"/>).
/// A gateway that publishes into the gap sees no subscriber and retries.
/// A router whose Redis connection drops stops processing at once and resumes shard by shard as
/// lease rounds confirm its leases: a Redis that restarts empty, or fails over, loses the leases,
/// another router may take them as soon as it reconnects, and the client resubscribes by itself.
/// </summary>
internal sealed class ShardLeaseManager : BackgroundService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RegistrySynchronizer _registry;
    private readonly ShardOwnership _ownership;
    private readonly MessageRouter _router;
    private readonly RouterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ShardLeaseManager> _logger;
    private readonly string _routerId;
    private readonly RedisKey[] _tickKeys;
    private readonly RedisChannel[] _channels;
    private readonly OrderedSubscription?[] _subscriptions;
    private readonly int _offset;

    public ShardLeaseManager(
        IConnectionMultiplexer redis,
        RegistrySynchronizer registry,
        ShardOwnership ownership,
        MessageRouter router,
        RouterIdentity identity,
        IOptions<RouterOptions> options,
        TimeProvider time,
        ILogger<ShardLeaseManager> logger)
    {
        _redis = redis;
        _registry = registry;
        _ownership = ownership;
        _router = router;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _routerId = identity.Id;

        var shards = ownership.ShardCount;
        _tickKeys = [RedisNames.Routers, RedisNames.ShardCount, .. Enumerable.Range(0, shards).Select(shard => (RedisKey)RedisNames.ShardLease(shard))];
        _channels = [.. Enumerable.Range(0, shards).Select(shard => RedisChannel.Literal(RedisNames.InboundChannel(shard)))];
        _subscriptions = new OrderedSubscription?[shards];
        _offset = Random.Shared.Next(shards);
    }

    /// <summary>False while this router refuses to run because others use another shard count.</summary>
    public bool ConfigurationAgrees { get; private set; } = true;

    /// <summary>When the last lease round succeeded, as a <see cref="TimeProvider"/> timestamp; 0 before the first.</summary>
    public long LastRoundAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Taking shards before the registry is loaded would answer "offline" for live users.
        await _registry.FirstSync.WaitAsync(stoppingToken);
        _redis.ConnectionFailed += OnConnectionInterrupted;
        _redis.ConnectionRestored += OnConnectionInterrupted;
        try
        {
            using var timer = new PeriodicTimer(_options.LeaseRenewInterval, _time);
            do
            {
                await RoundAsync();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            _redis.ConnectionFailed -= OnConnectionInterrupted;
            _redis.ConnectionRestored -= OnConnectionInterrupted;
        }
    }

    // Both events: if the failure is reported late, the restore still suspends before a round
    // could confirm leases that no longer exist.
    private void OnConnectionInterrupted(object? sender, ConnectionFailedEventArgs e)
    {
        if (_ownership.RevokeAll() > 0)
        {
            Log.ShardsSuspended(_logger, e.FailureType.ToString());
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReleaseAllAsync();
        try
        {
            await _redis.GetDatabase().SortedSetRemoveAsync(RedisNames.Routers, _routerId);
            Log.LeasesReleased(_logger, _routerId);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.LeaseReleaseFailed(_logger, exception);
        }
    }

    private async Task RoundAsync()
    {
        try
        {
            var requestedAt = _time.GetTimestamp();
            var reply = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(
                LeaseScripts.Tick,
                _tickKeys,
                [_routerId, (long)_options.LeaseTtl.TotalMilliseconds, _ownership.ShardCount]))!;
            ConfigurationAgrees = true;
            LastRoundAt = requestedAt;

            var liveRouters = (int)reply[0];
            var owners = reply.Skip(1).Select(owner => (string)owner!).ToArray();
            for (var shard = 0; shard < owners.Length; shard++)
            {
                if (owners[shard] == _routerId)
                {
                    _ownership.Extend(shard, requestedAt, _options.LeaseTtl);
                    await EnsureSubscribedAsync(shard);
                }
                else if (_subscriptions[shard] is not null)
                {
                    Log.ShardLost(_logger, shard, owners[shard]);
                    _ownership.Revoke(shard);
                    await UnsubscribeAsync(shard);
                }
            }

            var plan = ShardBalancer.Plan(owners, _routerId, liveRouters, _offset);
            foreach (var shard in plan.Release)
            {
                await ReleaseAsync(shard);
            }

            foreach (var shard in plan.Acquire)
            {
                await TryAcquireAsync(shard);
            }
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("SHARDCOUNT", StringComparison.Ordinal))
        {
            if (ConfigurationAgrees)
            {
                Log.ShardCountConflict(_logger, _ownership.ShardCount, exception.Message);
            }

            ConfigurationAgrees = false;
            await ReleaseAllAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Leases held now lapse by themselves if this goes on; the next round retries (or the
            // host is going down and disposed the connection).
            Log.LeaseRoundFailed(_logger, exception);
        }
    }

    private async Task TryAcquireAsync(int shard)
    {
        var requestedAt = _time.GetTimestamp();
        if (await _redis.GetDatabase().StringSetAsync(RedisNames.ShardLease(shard), _routerId, _options.LeaseTtl, When.NotExists))
        {
            _ownership.Extend(shard, requestedAt, _options.LeaseTtl);
            await EnsureSubscribedAsync(shard);
            Log.ShardAcquired(_logger, shard);
        }
    }

    private async Task ReleaseAsync(int shard)
    {
        // Messages that reach us before the unsubscribe completes are still ours to route.
        await UnsubscribeAsync(shard);
        _ownership.Revoke(shard);
        await _redis.GetDatabase().ScriptEvaluateAsync(LeaseScripts.Release, [RedisNames.ShardLease(shard)], [_routerId]);
        Log.ShardReleased(_logger, shard);
    }

    private async Task ReleaseAllAsync()
    {
        for (var shard = 0; shard < _subscriptions.Length; shard++)
        {
            if (_subscriptions[shard] is not null)
            {
                try
                {
                    await ReleaseAsync(shard);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    // Not processing it any more is what matters; the lease lapses by itself.
                    _ownership.Revoke(shard);
                    Log.LeaseReleaseFailed(_logger, exception);
                }
            }
        }
    }

    private async Task EnsureSubscribedAsync(int shard)
    {
        _subscriptions[shard] ??= await OrderedSubscription.SubscribeAsync(
            _redis,
            _channels[shard],
            value =>
            {
                // Registry changes that reached this router before the message take effect first.
                _registry.CatchUp();
                _router.OnInbound(shard, value);
            },
            exception => Log.RouteFailed(_logger, shard, exception));
    }

    /// <summary>Returns once the messages that arrived before the unsubscribe have been routed.</summary>
    private async Task UnsubscribeAsync(int shard)
    {
        if (_subscriptions[shard] is { } subscription)
        {
            _subscriptions[shard] = null;
            await subscription.UnsubscribeAsync();
        }
    }
}
