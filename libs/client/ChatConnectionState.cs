namespace ChatPlatform.Client;

/// <summary>Where a <see cref="ChatClient"/> is in its life.</summary>
public enum ChatConnectionState
{
    /// <summary>Connected to a gateway, with its rooms joined: calls go out.</summary>
    Connected,

    /// <summary>The connection was lost and the client is connecting again: calls fail with <c>disconnected</c>.</summary>
    Reconnecting,

    /// <summary>Disposed, or stopped for good: calls fail.</summary>
    Closed,
}
