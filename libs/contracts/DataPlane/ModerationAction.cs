namespace ChatPlatform.Contracts.DataPlane;

/// <summary>What a <see cref="ModerationCommand"/> does to the connections it reaches.</summary>
public enum ModerationAction : byte
{
    /// <summary>Close them with close code 4000 and the command's reason.</summary>
    Disconnect = 1,

    /// <summary>Take them out of the command's room, as if they had left it.</summary>
    RemoveFromRoom = 2,
}
