namespace ChatPlatform.Gateway.Connections;

internal enum FrameKind
{
    Text,
    Binary,
    Close,

    /// <summary>A message longer than the limit; the rest of it is still unread.</summary>
    TooLarge,
}
