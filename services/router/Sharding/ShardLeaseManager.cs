using ChatPlatform.Contracts;
using ChatPlatform.Router.Registry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Router.Sharding;

/// <summary>
/// Holds this router's share of the inbound shards. Each shard is a Redis lease (one owner,
/// renewed every <see cref="RouterOptions.LeaseRenewInterval"/>, expiring after
/// <see cref="RouterOptions.LeaseTtl"/>). It says what it acquired and what it releases to an
/// <see cref="IShardLeaseListener"/> (routing, which subscribes to the shard's channel), so the
/// owner alone takes a shard's messages. Handover never overlaps: the listener subscribes only
/// after the lease is acquired, unsubscribes, and handles what arrived before that, before the
/// lease is released, and a lapsed lease stops processing (<see cref="ShardOwnership"/>).
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
    private readonly IShardLeaseListener _listener;
    private readonly RouterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ShardLeaseManager> _logger;
    private readonly string _routerId;
    private readonly RedisKey[] _tickKeys;

    // Shards the listener was told it holds, and not yet told it released.
    private readonly bool[] _held;
    private readonly int _offset;

    public ShardLeaseManager(
        IConnectionMultiplexer redis,
        RegistrySynchronizer registry,
        ShardOwnership ownership,
        IShardLeaseListener listener,
        RouterIdentity identity,
        IOptions<RouterOptions> options,
        TimeProvider time,
        ILogger<ShardLeaseManager> logger)
    {
        _redis = redis;
        _registry = registry;
        _ownership = ownership;
        _listener = listener;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _routerId = identity.Id;

        var shards = ownership.ShardCount;
        _tickKeys = [RedisNames.Routers, RedisNames.ShardCount, .. Enumerable.Range(0, shards).Select(shard => (RedisKey)RedisNames.ShardLease(shard))];
        _held = new bool[shards];
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
                    await AcquiredAsync(shard);
                }
                else if (_held[shard])
                {
                    Log.ShardLost(_logger, shard, owners[shard]);
                    _ownership.Revoke(shard);
                    await ReleasingAsync(shard);
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
            await AcquiredAsync(shard);
            Log.ShardAcquired(_logger, shard);
        }
    }

    private async Task ReleaseAsync(int shard)
    {
        // Messages that reach us before the listener lets go are still ours to route.
        await ReleasingAsync(shard);
        _ownership.Revoke(shard);
        await _redis.GetDatabase().ScriptEvaluateAsync(LeaseScripts.Release, [RedisNames.ShardLease(shard)], [_routerId]);
        Log.ShardReleased(_logger, shard);
    }

    private async Task ReleaseAllAsync()
    {
        for (var shard = 0; shard < _held.Length; shard++)
        {
            if (_held[shard])
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

    /// <summary>Tells the listener, once per holding; a failure is retried by the next round.</summary>
    private async Task AcquiredAsync(int shard)
    {
        if (!_held[shard])
        {
            await _listener.AcquiredAsync(shard);
            _held[shard] = true;
        }
    }

    /// <summary>Returns once the messages that arrived before it have been handled.</summary>
    private async Task ReleasingAsync(int shard)
    {
        if (_held[shard])
        {
            _held[shard] = false;
            await _listener.ReleasingAsync(shard);
        }
    }
}
