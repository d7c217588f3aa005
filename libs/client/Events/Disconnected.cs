using System.Net.WebSockets;

namespace ChatPlatform.Client.Events;

/// <summary>
/// The connection was lost. Calls in flight have failed with <c>disconnected</c>. If
/// <see cref="WillReconnect"/> is <see langword="false"/>, this is the last event: the client stopped.
/// </summary>
/// <param name="Reason">What happened, for people.</param>
/// <param name="CloseStatus">The gateway's close code, if it sent one (1001: the gateway is shutting down).</param>
/// <param name="CloseDescription">The gateway's close reason, if it sent one.</param>
/// <param name="WillReconnect">Whether the client will connect again.</param>
public sealed record Disconnected(string Reason, WebSocketCloseStatus? CloseStatus, string? CloseDescription, bool WillReconnect) : ChatEvent;
