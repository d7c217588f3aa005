using System.Net.WebSockets;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Connections;

/// <summary>How a connection ended: a close frame from the gateway, a failure, or the client's own close.</summary>
internal sealed record ConnectionLoss(WebSocketCloseStatus? CloseStatus, string? CloseDescription, Exception? Error, bool ByClient)
{
    public string Describe()
    {
        if (ByClient)
        {
            return "the client closed the connection";
        }

        if (CloseStatus == CloseCodes.DisconnectedByServer)
        {
            return $"disconnected by the server: {(string.IsNullOrEmpty(CloseDescription) ? CloseCodes.DisconnectedByServerReason : CloseDescription)}";
        }

        if (CloseStatus is { } status)
        {
            var description = string.IsNullOrEmpty(CloseDescription) ? "" : $" ({CloseDescription})";
            return $"the gateway closed the connection with {(int)status} {status}{description}";
        }

        return $"the connection dropped: {Error?.Message ?? "no close frame"}";
    }
}
