namespace ChatPlatform.Gateway.Authentication;

/// <summary>What a connection's token allows beyond chatting: its roles and its private rooms.</summary>
/// <param name="Authenticated">Whether a token proved the user's identity (false for a development user).</param>
internal sealed record ConnectionGrants(bool Authenticated, IReadOnlySet<string> Roles, IReadOnlySet<string> Rooms, DateTimeOffset? ExpiresAt)
{
    /// <summary>A development user: nothing proved, nothing granted.</summary>
    public static ConnectionGrants None { get; } = new(false, new HashSet<string>(), new HashSet<string>(), null);
}
