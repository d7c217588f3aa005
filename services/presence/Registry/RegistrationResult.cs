namespace ChatPlatform.Presence.Registry;

internal enum RegistrationResult
{
    Registered,

    /// <summary>The request came from a gateway instance that a newer one has replaced.</summary>
    StaleInstance,

    /// <summary>The connection closed before its registration was processed.</summary>
    AlreadyClosed,
}
