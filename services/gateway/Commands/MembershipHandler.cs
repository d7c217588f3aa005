using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.History;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// <c>join</c> and <c>leave</c>. The local room index changes first (so nothing routed to the room
/// after presence answers can miss a new member, and a leaving one stops getting the room's
/// messages at once), then presence is asked; the local change is rolled back if presence does
/// not confirm, and the registry is asked to resync in case presence applied it after all. Acked
/// only once presence confirmed. The connection's session records where it starts in the room's
/// history before the join takes effect, and forgets the room when it leaves.
/// </summary>
internal sealed class MembershipHandler(LocalConnections connections, IPresenceClient presence, IRegistrySync registry, ISessionStore sessions, ILogger<MembershipHandler> logger)
{
    /// <returns>The error to answer with, or null when answered.</returns>
    public async Task<ProtocolError?> JoinAsync(ClientConnection connection, JoinCommand join, CancellationToken closed)
    {
        if (connections.IsMember(connection, join.Room))
        {
            connection.TrySend(ServerFrames.RoomAck(join.RequestId, join.Room));
            return null;
        }

        try
        {
            // Before the join takes effect: every message after this start reaches the connection or stays to recover.
            await sessions.RecordJoinAsync(connection, join.Room);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new ProtocolError(join.RequestId, ErrorCodes.Unavailable, "the message bus is unavailable; not joined");
        }

        var problem = await EnterAsync(connection, join.Room, closed);
        if (problem is null)
        {
            connection.TrySend(ServerFrames.RoomAck(join.RequestId, join.Room));
            return null;
        }

        await ForgetAsync(connection, join.Room);
        return problem.Length == 0 ? null : new ProtocolError(join.RequestId, ErrorCodes.Unavailable, problem);
    }

    /// <summary>Puts a resuming connection back in a room of the session it resumes, without an answer (its session already starts the room where the old one did).</summary>
    /// <returns>Whether it is a member now.</returns>
    public async Task<bool> RestoreAsync(ClientConnection connection, string room, CancellationToken closed) =>
        connections.IsMember(connection, room) || await EnterAsync(connection, room, closed) is null;

    /// <returns>Null when joined; otherwise why not, empty when nobody is waiting for the answer.</returns>
    private async Task<string?> EnterAsync(ClientConnection connection, string room, CancellationToken closed)
    {
        // Local first, so nothing routed to the room after presence answers can miss it.
        if (!connections.Join(connection, room, out var sequence))
        {
            return null;
        }

        var problem = "presence no longer knows this connection; reconnect";
        try
        {
            if (await presence.JoinAsync(connection, room, sequence, closed))
            {
                return null;
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The close report takes whatever presence made of it.
            connections.Leave(connection, room, out _);
            return "";
        }
        catch (PresenceUnavailableException exception)
        {
            problem = $"{exception.Message}; not joined";

            // Presence may have applied it after all: its report of what this gateway holds wins.
            registry.RequestSync("a join presence did not confirm");
        }

        connections.Leave(connection, room, out _);
        return problem;
    }

    /// <summary>A resume must not bring back a room the connection is not in.</summary>
    private async Task ForgetAsync(ClientConnection connection, string room)
    {
        try
        {
            await sessions.RecordLeaveAsync(connection, room);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.SessionUpdateFailed(logger, connection.Id, exception);
        }
    }

    /// <summary>
    /// A backend removed the connection from the room (docs/api.md): it leaves at once and is told
    /// with a <c>left</c> frame about its own user; presence then tells the others. Unlike the
    /// client's own leave it is not rolled back when presence does not confirm: the registry is
    /// resynced from this gateway's rooms instead, which no longer hold it.
    /// </summary>
    public async Task RemoveAsync(ClientConnection connection, string room)
    {
        if (!connections.Leave(connection, room, out var sequence))
        {
            return;
        }

        connection.TrySend(ServerFrames.Membership(new MembershipEvent(MembershipEventKind.Left, room, connection.UserId, "")));
        try
        {
            await presence.LeaveAsync(connection, room, sequence, CancellationToken.None);
        }
        catch (Exception exception)
        {
            Log.RemovalUnconfirmed(logger, connection.Id, exception);
            registry.RequestSync("a removal presence did not confirm");
        }

        await ForgetAsync(connection, room);
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
            await ForgetAsync(connection, leave.Room);
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
