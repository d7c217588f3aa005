using ChatPlatform.Gateway.Connections;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.ControlPlane;

/// <summary>
/// Tells presence the gateway is alive every <see cref="GatewayOptions.HeartbeatInterval"/>,
/// hands each answer to the <see cref="RegistryReconciler"/>, and tells presence the gateway
/// stopped when it shuts down, so its connections leave the registry at once.
/// </summary>
internal sealed class GatewayHeartbeat(
    IPresenceClient presence,
    LocalConnections connections,
    RegistryReconciler reconciler,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan StoppedTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        do
        {
            var registered = connections.RegisteredCount;
            var registering = connections.Count - registered;
            if (await presence.RecordHeartbeatAsync(connections.Count, stoppingToken) is { Accepted: true } answer)
            {
                reconciler.Compare(answer.RegisteredConnections, registered, registering + presence.QueuedCloseReports);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoppedTimeout);
        try
        {
            await presence.ReportStoppedAsync(timeout.Token);
        }
        catch (Exception exception)
        {
            // Presence removes the connections when the heartbeat lease runs out instead.
            Log.StoppedNotReported(logger, exception);
        }
    }
}
