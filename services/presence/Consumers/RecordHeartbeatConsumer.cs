using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Presence.Registry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Presence.Consumers;

internal sealed class RecordHeartbeatConsumer(
    IConnectionRegistry registry,
    IOptions<PresenceOptions> options,
    ILogger<RecordHeartbeatConsumer> logger) : IConsumer<RecordHeartbeat>
{
    public async Task Consume(ConsumeContext<RecordHeartbeat> context)
    {
        var heartbeat = context.Message;
        var registered = await registry.RecordHeartbeatAsync(heartbeat, options.Value.GatewayTtl);
        if (registered is null)
        {
            Log.StaleHeartbeat(logger, heartbeat.GatewayId, heartbeat.GatewayInstance);
        }

        await context.RespondAsync(new HeartbeatRecorded(registered is not null, registered ?? 0));
    }
}
