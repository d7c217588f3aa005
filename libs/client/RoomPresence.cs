namespace ChatPlatform.Client;

/// <summary>Who is in a room.</summary>
/// <param name="Room">The room asked about.</param>
/// <param name="Users">Each member user once, in ordinal order; empty for an empty or unknown room.</param>
public sealed record RoomPresence(string Room, IReadOnlyList<string> Users);
