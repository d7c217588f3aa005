namespace ChatPlatform.Client.Events;

/// <summary>A user's first connection joined a room this connection is in.</summary>
/// <param name="Room">The room.</param>
/// <param name="User">The user who joined.</param>
public sealed record UserJoined(string Room, string User) : ChatEvent;
