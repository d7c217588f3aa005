using System.Net.WebSockets;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// When a lost connection is worth connecting again (docs/clients.md, "Reconnecting"): after any
/// drop or close, but not after a close that says the client broke the protocol, which would
/// only happen again, nor after a backend disconnected the user (4000), which the client must
/// respect; and not when a gateway refuses credentials that cannot change.
/// </summary>
internal static class ReconnectPolicy
{
    public static bool ShouldReconnect(ConnectionLoss loss) =>
        !loss.ByClient
        && loss.CloseStatus is not (WebSocketCloseStatus.ProtocolError or WebSocketCloseStatus.InvalidMessageType or WebSocketCloseStatus.InvalidPayloadData
            or CloseCodes.DisconnectedByServer);

    /// <summary>
    /// Whether a failed attempt ends reconnecting: HTTP 400 (a malformed user name or request) always;
    /// 401 and 403 unless a token provider can hand out another token. Anything else (503 while a
    /// gateway starts or stops, a refused or timed-out connection) is worth another attempt.
    /// </summary>
    public static bool IsFatal(ChatException failure, bool hasTokenProvider) => failure.HttpStatus switch
    {
        400 => true,
        401 or 403 => !hasTokenProvider,
        _ => false,
    };
}
