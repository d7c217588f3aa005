namespace ChatPlatform.Contracts.DataPlane;

/// <summary>What a message is addressed to. The numeric values are on the wire.</summary>
public enum TargetKind : byte
{
    /// <summary>Every connection of a user, on any gateway.</summary>
    User = 1,

    /// <summary>One connection.</summary>
    Connection = 2,
}
