namespace ChatPlatform.Contracts.Rooms;

/// <summary>Request from a gateway to presence: end the connection's membership of the room; answered with <see cref="RoomLeft"/>.</summary>
/// <param name="Sequence">As in <see cref="JoinRoom.Sequence"/>.</param>
public sealed record LeaveRoom(string GatewayId, string ConnectionId, string Room, long Sequence);
