using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Presence.Registry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Presence.Consumers;

internal sealed class SyncGatewayConnectionsConsumer(
    IConnectionRegistry registry,
    IOptions<PresenceOptions> options,
    PresenceMetrics metrics,
    ILogger<SyncGatewayConnectionsConsumer> logger) : IConsumer<SyncGatewayConnections>
{
    public async Task Consume(ConsumeContext<SyncGatewayConnections> context)
    {
        var report = context.Message;
        var result = await registry.SyncAsync(report, options.Value.GatewayTtl, options.Value.ClosedConnectionTtl);
        metrics.Synced(result.Added, result.Removed);
        Log.GatewaySynced(logger, report.GatewayId, report.Connections.Count, result.Added, result.Removed);
        await context.RespondAsync(result);
    }
}
