using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// <c>presence</c>: who is in a room, or whether a user is online, asked on the asker's shard like
/// a message, so the router that owns it answers from its copy of the registry, in order with the
/// asker's messages.
/// </summary>
internal sealed class PresenceQueryHandler(GatewayIdentity identity, RouterRequests requests)
{
    public async Task HandleAsync(ClientConnection connection, PresenceCommand query, CancellationToken closed)
    {
        var (queryId, request) = requests.Create(connection, query.RequestId, query.Target);
        using var activity = GatewayTelemetry.StartPresence(query.Target);
        var question = new PresenceQuery(queryId, identity.Id, connection.Id, query.Target, activity?.Id);
        await requests.PublishAsync(queryId, request, DataPlaneCodec.Encode(question), closed);
    }
}
