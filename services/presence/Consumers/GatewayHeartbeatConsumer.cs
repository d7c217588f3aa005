using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Presence.Registry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Presence.Consumers;

internal sealed class GatewayHeartbeatConsumer(
    IConnectionRegistry registry,
    IOptions<PresenceOptions> options,
    ILogger<GatewayHeartbeatConsumer> logger) : IConsumer<GatewayHeartbeatSent>
{
    public async Task Consume(ConsumeContext<GatewayHeartbeatSent> context)
    {
        var heartbeat = context.Message;
        var registered = await registry.RecordHeartbeatAsync(heartbeat, options.Value.GatewayTtl);
        if (registered is null)
        {
            Log.StaleHeartbeat(logger, heartbeat.GatewayId, heartbeat.GatewayInstance);
        }
    }
}
