namespace ChatPlatform.Contracts.Rooms;

/// <summary>Response to <see cref="JoinRoom"/>.</summary>
/// <param name="Accepted">False when the connection is no longer registered (it closed, or its gateway was removed).</param>
public sealed record RoomJoined(string ConnectionId, string Room, bool Accepted);
