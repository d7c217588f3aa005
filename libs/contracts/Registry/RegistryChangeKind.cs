namespace ChatPlatform.Contracts.Registry;

public enum RegistryChangeKind
{
    /// <summary>A connection was registered on a gateway.</summary>
    ConnectionAdded,

    /// <summary>A connection closed.</summary>
    ConnectionRemoved,

    /// <summary>Every connection of a gateway is gone: it stopped, died or restarted.</summary>
    GatewayRemoved,
}
