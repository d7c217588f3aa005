namespace ChatPlatform.Client.Events;

/// <summary>
/// A user's last connection left a room this connection is in, closed, or was lost with its
/// gateway. When <see cref="User"/> is this client's own user, a backend took this connection
/// out of the room (docs/api.md, "Moderation"): the client is no longer in it, and drops it from
/// <see cref="ChatClient.Rooms"/> so a reconnect does not join it again.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="User">The user who left.</param>
public sealed record UserLeft(string Room, string User) : ChatEvent;
