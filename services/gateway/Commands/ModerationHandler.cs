using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// A backend's moderation (docs/api.md, "Moderation") on this gateway's connections of its
/// target: a disconnect closes them with 4000 and the backend's reason after what is already
/// queued; a removal takes each one that is in the room out of it, as its own leave would.
/// </summary>
internal sealed class ModerationHandler(LocalConnections connections, MembershipHandler membership, ILogger<ModerationHandler> logger) : IModerationHandler
{
    public void Apply(ModerationCommand command)
    {
        foreach (var connection in connections.Resolve(command.Target))
        {
            Log.Moderated(logger, connection.Id, command.Action.ToString());
            if (command.Action == ModerationAction.Disconnect)
            {
                connection.Close(CloseCodes.DisconnectedByServer, command.Reason, drain: true);
            }
            else if (connections.IsMember(connection, command.Room))
            {
                _ = membership.RemoveAsync(connection, command.Room);
            }
        }
    }
}
