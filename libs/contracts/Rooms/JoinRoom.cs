namespace ChatPlatform.Contracts.Rooms;

/// <summary>
/// Request from a gateway to presence: make the connection a member of the room. Answered with
/// <see cref="RoomJoined"/> once the membership is written and routers have been told, so the
/// connection receives every room message routed after the answer.
/// </summary>
/// <param name="Sequence">
/// From the same gateway-local counter as <see cref="Connections.RegisterConnection.Sequence"/>:
/// tells this join from membership changes a <see cref="Gateways.SyncGatewayConnections"/>
/// report already covers, and from stale ones.
/// </param>
public sealed record JoinRoom(
    string GatewayId,
    string GatewayInstance,
    string ConnectionId,
    string UserId,
    string Room,
    long Sequence);
