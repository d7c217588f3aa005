namespace ChatPlatform.Contracts.DataPlane;

/// <summary>How a router disposed of a message. The numeric values are on the wire.</summary>
public enum SendStatus : byte
{
    /// <summary>
    /// Published to every gateway holding a recipient. For a user or a connection at least one
    /// received it; a room or everyone may have no one else in it.
    /// </summary>
    Routed = 1,

    /// <summary>The target has no live connection.</summary>
    Offline = 2,

    /// <summary>History could not be written: nothing was published or stored.</summary>
    Unavailable = 3,
}
