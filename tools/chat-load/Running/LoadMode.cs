namespace ChatPlatform.Load.Running;

/// <summary>Where each client sends its messages.</summary>
internal enum LoadMode
{
    /// <summary>Each message goes to one other client's user, picked at random.</summary>
    Direct,

    /// <summary>Every client joins one room and sends to it: each message reaches every other client.</summary>
    Room,
}
