namespace ChatPlatform.Contracts.Rooms;

/// <summary>Request from a gateway to presence: end the connection's membership of the room; answered with <see cref="RoomLeft"/>.</summary>
public sealed record LeaveRoom(string GatewayId, string ConnectionId, string Room);
