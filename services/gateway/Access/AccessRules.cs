using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Access;

/// <summary>
/// Who may do what, in one place (docs/security.md): a room's messages are for its members, a
/// <c>private:</c> room is for the users whose token lists it, sending to everyone needs
/// <see cref="GatewayOptions.AllowBroadcast"/> and, with a token, the admin role, and a connection
/// is in at most <see cref="GatewayOptions.MaxRoomsPerConnection"/> rooms. Every command is
/// checked here before it is handled.
/// </summary>
internal sealed class AccessRules(LocalConnections connections, IOptions<GatewayOptions> options, IOptions<AuthOptions> auth)
{
    private const string PrivatePrefix = "private:";

    private readonly GatewayOptions _options = options.Value;
    private readonly string _adminRole = auth.Value.Jwt.AdminRole;

    /// <returns>The error to refuse the command with, or null when it may go ahead.</returns>
    public ProtocolError? Check(ClientConnection connection, ClientCommand command) => command switch
    {
        SendCommand send => CheckSend(connection, send),
        JoinCommand join => CheckJoin(connection, join),
        PresenceCommand query => CheckPresence(connection, query),
        HistoryCommand history => CheckHistory(connection, history),

        // Leaving is always allowed: a room the connection is not in is acked and changes nothing.
        _ => null,
    };

    private ProtocolError? CheckSend(ClientConnection connection, SendCommand send) => send.Target.Kind switch
    {
        TargetKind.Room when !connections.IsMember(connection, send.Target.Value) =>
            Forbidden(send, $"join room {send.Target.Value} before sending to it"),
        TargetKind.Everyone when !_options.AllowBroadcast =>
            Forbidden(send, "sending to everyone is turned off on this server"),
        TargetKind.Everyone when connection.Grants.Authenticated && !connection.Grants.Roles.Contains(_adminRole) =>
            Forbidden(send, $"sending to everyone needs the '{_adminRole}' role"),
        _ => null,
    };

    private ProtocolError? CheckJoin(ClientConnection connection, JoinCommand join)
    {
        if (!MayEnter(connection, join.Room))
        {
            return Forbidden(join, PrivateRoom(join.Room));
        }

        return connections.RoomCount(connection) >= _options.MaxRoomsPerConnection && !connections.IsMember(connection, join.Room)
            ? new ProtocolError(join.RequestId, ErrorCodes.BadRequest, $"a connection can be in at most {_options.MaxRoomsPerConnection} rooms")
            : null;
    }

    /// <summary>
    /// Whether a resuming connection may be put back in a room of its old session: its new token
    /// may no longer list a private room, and it has room for one more.
    /// </summary>
    public bool MayRestore(ClientConnection connection, string room) =>
        MayEnter(connection, room) && connections.RoomCount(connection) < _options.MaxRoomsPerConnection;

    /// <summary>A room's history is for its members (who could enter it); a user's only for that user, which the command cannot name otherwise.</summary>
    private ProtocolError? CheckHistory(ClientConnection connection, HistoryCommand history) =>
        history.Room is { } room && !connections.IsMember(connection, room)
            ? Forbidden(history, $"join room {room} before reading its history")
            : null;

    /// <summary>Anyone may ask about a user; about a room, anyone who may enter it.</summary>
    private static ProtocolError? CheckPresence(ClientConnection connection, PresenceCommand query) =>
        query.Target.Kind == TargetKind.Room && !MayEnter(connection, query.Target.Value)
            ? Forbidden(query, PrivateRoom(query.Target.Value))
            : null;

    /// <summary>A <c>private:</c> room is for the users whose token lists it; any other room is for anyone.</summary>
    private static bool MayEnter(ClientConnection connection, string room) =>
        !room.StartsWith(PrivatePrefix, StringComparison.Ordinal) || connection.Grants.Rooms.Contains(room);

    private static string PrivateRoom(string room) => $"room {room} is private; it needs a token that lists it";

    private static ProtocolError Forbidden(ClientCommand command, string message) => new(command.RequestId, ErrorCodes.Forbidden, message);
}
