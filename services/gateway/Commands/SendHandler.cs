using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// <c>send</c>: the message goes to the router that owns the sender's shard, with an id and a
/// timestamp from the gateway and the sender's identity from the connection, never from the
/// frame. The router's outcome answers it.
/// </summary>
internal sealed class SendHandler(GatewayIdentity identity, RouterRequests requests, TimeProvider time)
{
    public async Task HandleAsync(ClientConnection connection, SendCommand send, CancellationToken closed)
    {
        var (messageId, request) = requests.Create(connection, send.RequestId, send.Target);
        using var activity = GatewayTelemetry.StartSend(messageId, send.Target);

        // Encoding copies the body out of the receive buffer before anything is awaited.
        var message = new InboundMessage(
            messageId,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            identity.Id,
            connection.Id,
            connection.UserId,
            send.Target,
            send.Body,
            activity?.Id);
        await requests.PublishAsync(messageId, request, DataPlaneCodec.Encode(message), closed);
    }
}
