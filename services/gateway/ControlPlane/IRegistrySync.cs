namespace ChatPlatform.Gateway.ControlPlane;

/// <summary>
/// Asks for a full report of this gateway's connections and memberships to presence, which
/// replaces what the registry holds for it. Requests made while one is pending coalesce.
/// </summary>
internal interface IRegistrySync
{
    void RequestSync(string reason);
}
