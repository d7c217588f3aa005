using ChatPlatform.Contracts.Connections;
using ChatPlatform.Presence.Registry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Presence.Consumers;

internal sealed class RegisterConnectionConsumer(
    IConnectionRegistry registry,
    IOptions<PresenceOptions> options,
    PresenceMetrics metrics,
    ILogger<RegisterConnectionConsumer> logger) : IConsumer<RegisterConnection>
{
    public async Task Consume(ConsumeContext<RegisterConnection> context)
    {
        var request = context.Message;
        var result = await registry.RegisterAsync(request, options.Value.GatewayTtl);
        metrics.Registered(result.ToString());
        if (result == RegistrationResult.Registered)
        {
            Log.ConnectionRegistered(logger, request.ConnectionId, request.UserId, request.GatewayId);
        }
        else
        {
            Log.RegistrationRefused(logger, request.ConnectionId, request.GatewayId, result.ToString());
        }

        await context.RespondAsync(new ConnectionRegistered(request.ConnectionId, result == RegistrationResult.Registered));
    }
}
