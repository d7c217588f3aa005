namespace ChatPlatform.Contracts.Registry;

public enum RegistryChangeKind
{
    /// <summary>A connection was registered on a gateway.</summary>
    ConnectionAdded,

    /// <summary>A connection closed; it left all its rooms.</summary>
    ConnectionRemoved,

    /// <summary>Every connection of a gateway is gone, with its memberships: it stopped, died or restarted.</summary>
    GatewayRemoved,

    /// <summary>A connection joined a room.</summary>
    RoomJoined,

    /// <summary>A connection left a room.</summary>
    RoomLeft,
}
