namespace ChatPlatform.Contracts.Rooms;

/// <summary>Response to <see cref="LeaveRoom"/>: the connection is not a member any more.</summary>
public sealed record RoomLeft(string ConnectionId, string Room);
