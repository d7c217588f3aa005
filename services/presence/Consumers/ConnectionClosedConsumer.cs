using ChatPlatform.Contracts.Connections;
using ChatPlatform.Presence.Registry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Presence.Consumers;

internal sealed class ConnectionClosedConsumer(
    IConnectionRegistry registry,
    IOptions<PresenceOptions> options,
    PresenceMetrics metrics,
    ILogger<ConnectionClosedConsumer> logger) : IConsumer<ConnectionClosed>
{
    public async Task Consume(ConsumeContext<ConnectionClosed> context)
    {
        var closed = context.Message;
        if (await registry.RemoveAsync(closed, options.Value.ClosedConnectionTtl))
        {
            metrics.Removed();
            Log.ConnectionRemoved(logger, closed.ConnectionId, closed.UserId, closed.GatewayId);
        }
    }
}
