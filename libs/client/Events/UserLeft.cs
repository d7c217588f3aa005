namespace ChatPlatform.Client.Events;

/// <summary>A user's last connection left a room this connection is in, closed, or was lost with its gateway.</summary>
/// <param name="Room">The room.</param>
/// <param name="User">The user who left.</param>
public sealed record UserLeft(string Room, string User) : ChatEvent;
