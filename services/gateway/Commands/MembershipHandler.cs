using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// <c>join</c> and <c>leave</c>. The local room index changes first (so nothing routed to the room
/// after presence answers can miss a new member, and a leaving one stops getting the room's
/// messages at once), then presence is asked; the local change is rolled back if presence does
/// not confirm, and the registry is asked to resync in case presence applied it after all. Acked
/// only once presence confirmed.
/// </summary>
internal sealed class MembershipHandler(LocalConnections connections, IPresenceClient presence, IRegistrySync registry)
{
    /// <returns>The error to answer with, or null when answered.</returns>
    public async Task<ProtocolError?> JoinAsync(ClientConnection connection, JoinCommand join, CancellationToken closed)
    {
        // Local first, so nothing routed to the room after presence answers can miss it.
        if (!connections.Join(connection, join.Room, out var sequence))
        {
            connection.TrySend(ServerFrames.RoomAck(join.RequestId, join.Room));
            return null;
        }

        var problem = "presence no longer knows this connection; reconnect";
        try
        {
            if (await presence.JoinAsync(connection, join.Room, sequence, closed))
            {
                connection.TrySend(ServerFrames.RoomAck(join.RequestId, join.Room));
                return null;
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The close report takes whatever presence made of it.
            connections.Leave(connection, join.Room, out _);
            return null;
        }
        catch (PresenceUnavailableException exception)
        {
            problem = $"{exception.Message}; not joined";

            // Presence may have applied it after all: its report of what this gateway holds wins.
            registry.RequestSync("a join presence did not confirm");
        }

        connections.Leave(connection, join.Room, out _);
        return new ProtocolError(join.RequestId, ErrorCodes.Unavailable, problem);
    }

    /// <returns>The error to answer with, or null when answered.</returns>
    public async Task<ProtocolError?> LeaveAsync(ClientConnection connection, LeaveCommand leave, CancellationToken closed)
    {
        // Local first: the client stops getting the room's messages at once.
        if (!connections.Leave(connection, leave.Room, out var sequence))
        {
            connection.TrySend(ServerFrames.RoomAck(leave.RequestId, leave.Room));
            return null;
        }

        try
        {
            await presence.LeaveAsync(connection, leave.Room, sequence, closed);
            connection.TrySend(ServerFrames.RoomAck(leave.RequestId, leave.Room));
            return null;
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The close report ends the membership anyway.
            return null;
        }
        catch (PresenceUnavailableException exception)
        {
            // Still a member for everyone else, so a member here too; the client may try again.
            // Presence may have applied it after all: its report of what this gateway holds wins.
            connections.Join(connection, leave.Room, out _);
            registry.RequestSync("a leave presence did not confirm");
            return new ProtocolError(leave.RequestId, ErrorCodes.Unavailable, $"{exception.Message}; not left");
        }
    }
}
