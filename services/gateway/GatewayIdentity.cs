namespace ChatPlatform.Gateway;

/// <summary>
/// The gateway's id, and the id of this run of it. Instance ids are version 7 GUIDs in hex,
/// which sort in start order: presence uses that to replace an earlier run's registry entries.
/// </summary>
internal sealed record GatewayIdentity(string Id, string Instance)
{
    public static GatewayIdentity Create(string id) => new(id, Guid.CreateVersion7().ToString("N"));
}
