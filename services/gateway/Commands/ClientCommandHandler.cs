using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Commands;

/// <summary>Acts on one frame from a client: every frame gets exactly one answer, now or later.</summary>
internal sealed class ClientCommandHandler(
    GatewayIdentity identity,
    IInboundPublisher publisher,
    PendingSends pending,
    Acknowledgements acknowledgements,
    IOptions<ShardingOptions> sharding,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<ClientCommandHandler> logger)
{
    private readonly int _shardCount = sharding.Value.ShardCount;

    /// <param name="frame">Valid only until this returns.</param>
    public async Task HandleAsync(ClientConnection connection, ReadOnlyMemory<byte> frame)
    {
        if (!ClientFrameParser.TryParse(frame, out var command, out var error))
        {
            metrics.ErrorSent(error.Code);
            connection.TrySend(ServerFrames.Error(error));
            return;
        }

        switch (command)
        {
            case SendCommand send:
                await SendAsync(connection, send);
                break;
        }
    }

    private async Task SendAsync(ClientConnection connection, SendCommand send)
    {
        var receivedAt = time.GetTimestamp();
        var messageId = Guid.CreateVersion7().ToString("N");
        using var activity = GatewayTelemetry.StartSend(messageId, send.Target);

        // Encoding copies the body out of the receive buffer before anything is awaited.
        var payload = DataPlaneCodec.Encode(new InboundMessage(
            messageId,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            identity.Id,
            connection.Id,
            connection.UserId,
            send.Target,
            send.Body,
            activity?.Id));
        pending.Add(messageId, new PendingSend(connection, send.RequestId, send.Target, receivedAt));

        // Awaited before the next frame is read: a connection's messages reach the router in order.
        try
        {
            if (await publisher.PublishAsync(InboundShards.Of(connection.Id, _shardCount), payload, CancellationToken.None))
            {
                pending.Arm(messageId);
            }
            else
            {
                acknowledgements.OnNotRouted(messageId, "no router is available; the message was not sent");
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.PublishFailed(logger, messageId, exception.Message);
            acknowledgements.OnNotRouted(messageId, "the message bus is unavailable; the message was not sent");
        }
    }
}
