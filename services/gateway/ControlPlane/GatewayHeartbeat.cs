using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Gateway.Connections;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.ControlPlane;

/// <summary>
/// Tells presence the gateway is alive every <see cref="GatewayOptions.HeartbeatInterval"/>, and
/// that it stopped when it shuts down, so its connections leave the registry at once.
/// </summary>
internal sealed class GatewayHeartbeat(
    IBus bus,
    GatewayIdentity identity,
    LocalConnections connections,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan StoppedTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.HeartbeatInterval;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(interval);
            try
            {
                // A heartbeat older than a few intervals says nothing; let the broker drop it.
                await bus.Publish(
                    new GatewayHeartbeatSent(identity.Id, identity.Instance, connections.Count),
                    context => context.TimeToLive = interval * 3,
                    timeout.Token);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                Log.HeartbeatFailed(logger, exception.Message);
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
            await bus.Publish(new GatewayStopped(identity.Id, identity.Instance), timeout.Token);
        }
        catch (Exception exception)
        {
            // Presence removes the connections when the heartbeat lease runs out instead.
            Log.StoppedNotReported(logger, exception);
        }
    }
}
