namespace ChatPlatform.Contracts.DataPlane;

/// <summary>A router's answer to a <see cref="PresenceQuery"/>.</summary>
/// <param name="Connections">The user's live connections, or the room's member connections.</param>
/// <param name="Users">For a room: its members' user ids, sorted ordinally; empty for a user.</param>
public sealed record PresenceAnswer(
    string QueryId,
    string ConnectionId,
    int Connections,
    IReadOnlyList<string> Users);
