using System.Net.WebSockets;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Events;

/// <summary>
/// The connection was lost. Calls in flight have failed with <c>disconnected</c>. If
/// <see cref="WillReconnect"/> is <see langword="false"/>, this is the last event: the client stopped.
/// A backend that disconnected the user through the server API closes with 4000
/// (<see cref="ByServer"/>), and the client does not reconnect after it.
/// </summary>
/// <param name="Reason">What happened, for people.</param>
/// <param name="CloseStatus">The gateway's close code, if it sent one (1001: the gateway is shutting down; 4000: disconnected by the server).</param>
/// <param name="CloseDescription">The gateway's close reason, if it sent one; after 4000, the backend's reason.</param>
/// <param name="WillReconnect">Whether the client will connect again.</param>
public sealed record Disconnected(string Reason, WebSocketCloseStatus? CloseStatus, string? CloseDescription, bool WillReconnect) : ChatEvent
{
    /// <summary>Whether a backend disconnected the user (close code 4000, docs/api.md, "Moderation"); <see cref="CloseDescription"/> says why.</summary>
    public bool ByServer => CloseStatus == CloseCodes.DisconnectedByServer;
}
