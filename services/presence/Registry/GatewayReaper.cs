using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Registry;

/// <summary>
/// Removes gateways whose heartbeats stopped, and then takes the connections of every removed
/// gateway out of their rooms, in batches, announcing who left. Every replica runs it; the
/// scripts are atomic and idempotent. A replica reaps only after its bus has been connected for
/// a whole time to live, so an outage of RabbitMQ (or of presence itself) that held heartbeats
/// back never reads as every gateway being dead.
/// </summary>
internal sealed class GatewayReaper(
    IConnectionRegistry registry,
    IBusControl bus,
    IConnectionMultiplexer redis,
    IOptions<PresenceOptions> options,
    PresenceMetrics metrics,
    TimeProvider time,
    ILogger<GatewayReaper> logger) : BackgroundService
{
    private const int ReapBatch = 100;

    /// <summary>Connections cleaned up per atomic step: bounds how long one step holds Redis.</summary>
    private const int PurgeBatch = 500;

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for retired gateways to be cleaned up now rather than at the next tick.</summary>
    public void PurgeSoon()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        long? busConnectedSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(settings.ReapInterval, stoppingToken);
            if (!redis.IsConnected)
            {
                continue;
            }

            busConnectedSince = bus.CheckHealth().Status == BusHealthStatus.Healthy ? busConnectedSince ?? time.GetTimestamp() : null;
            try
            {
                if (busConnectedSince is { } since && time.GetElapsedTime(since) >= settings.GatewayTtl)
                {
                    await ReapAsync(settings.GatewayTtl);
                }

                var purged = await registry.PurgeRetiredAsync(PurgeBatch);
                if (purged > 0)
                {
                    metrics.Purged(purged);
                    Log.RetiredPurged(logger, purged);
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                Log.ReapFailed(logger, exception);
            }
        }
    }

    private async Task ReapAsync(TimeSpan ttl)
    {
        IReadOnlyList<string> removed;
        do
        {
            removed = await registry.RemoveExpiredGatewaysAsync(ReapBatch);
            foreach (var gateway in removed)
            {
                metrics.GatewayRemoved("expired");
                Log.GatewayExpired(logger, gateway, ttl);
            }
        }
        while (removed.Count == ReapBatch);
    }
}
