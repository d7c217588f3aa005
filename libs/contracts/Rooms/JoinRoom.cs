namespace ChatPlatform.Contracts.Rooms;

/// <summary>
/// Request from a gateway to presence: make the connection a member of the room. Answered with
/// <see cref="RoomJoined"/> once the membership is written and routers have been told, so the
/// connection receives every room message routed after the answer.
/// </summary>
public sealed record JoinRoom(
    string GatewayId,
    string GatewayInstance,
    string ConnectionId,
    string UserId,
    string Room);
