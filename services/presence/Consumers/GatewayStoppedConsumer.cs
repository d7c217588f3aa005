using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Presence.Registry;
using MassTransit;

namespace ChatPlatform.Presence.Consumers;

internal sealed class GatewayStoppedConsumer(
    IConnectionRegistry registry,
    GatewayReaper reaper,
    PresenceMetrics metrics,
    ILogger<GatewayStoppedConsumer> logger) : IConsumer<GatewayStopped>
{
    public async Task Consume(ConsumeContext<GatewayStopped> context)
    {
        var stopped = context.Message;
        if (await registry.RemoveGatewayAsync(stopped.GatewayId, stopped.GatewayInstance))
        {
            metrics.GatewayRemoved("stopped");
            Log.GatewayStopped(logger, stopped.GatewayId);
            reaper.PurgeSoon();
        }
    }
}
