using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Registry;

/// <summary>
/// Removes gateways whose heartbeats stopped. Every replica runs it; the removal script is
/// atomic and idempotent. A replica reaps only after its bus has been connected for a whole
/// time to live, so an outage of RabbitMQ (or of presence itself) that held heartbeats back
/// never reads as every gateway being dead.
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
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ReapInterval, time);
        long? busConnectedSince = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (bus.CheckHealth().Status != BusHealthStatus.Healthy)
            {
                busConnectedSince = null;
                continue;
            }

            busConnectedSince ??= time.GetTimestamp();
            if (time.GetElapsedTime(busConnectedSince.Value) < settings.GatewayTtl || !redis.IsConnected)
            {
                continue;
            }

            try
            {
                IReadOnlyList<string> removed;
                do
                {
                    removed = await registry.RemoveExpiredGatewaysAsync(BatchSize);
                    foreach (var gateway in removed)
                    {
                        metrics.GatewayRemoved("expired");
                        Log.GatewayExpired(logger, gateway, settings.GatewayTtl);
                    }
                }
                while (removed.Count == BatchSize);
            }
            catch (RedisException exception)
            {
                Log.ReapFailed(logger, exception);
            }
        }
    }
}
