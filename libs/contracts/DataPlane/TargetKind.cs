namespace ChatPlatform.Contracts.DataPlane;

/// <summary>What a message is addressed to. The numeric values are on the wire.</summary>
public enum TargetKind : byte
{
    /// <summary>Every connection of a user, on any gateway.</summary>
    User = 1,

    /// <summary>One connection.</summary>
    Connection = 2,

    /// <summary>Every member connection of a room but the sender's.</summary>
    Room = 3,

    /// <summary>Every connection but the sender's. The value is empty.</summary>
    Everyone = 4,
}
