namespace ChatPlatform.Client;

/// <summary>Whether a user is online.</summary>
/// <param name="User">The user asked about.</param>
/// <param name="Online">Whether the user has at least one live connection.</param>
/// <param name="Connections">The user's live connections on all gateways.</param>
public sealed record UserPresence(string User, bool Online, int Connections);
