using System.Net.WebSockets;

namespace ChatPlatform.Protocol;

/// <summary>
/// How a gateway closes a connection (docs/protocol.md, "Closing"): each close code with the
/// reason it is sent with.
/// </summary>
public static class CloseCodes
{
    /// <summary>1001: the gateway is shutting down; reconnect, to any gateway.</summary>
    public const WebSocketCloseStatus ShuttingDown = WebSocketCloseStatus.EndpointUnavailable;

    /// <summary>The reason sent with <see cref="ShuttingDown"/>.</summary>
    public const string ShuttingDownReason = "gateway shutting down";

    /// <summary>1003: the client sent a binary frame.</summary>
    public const WebSocketCloseStatus BinaryFrame = WebSocketCloseStatus.InvalidMessageType;

    /// <summary>The reason sent with <see cref="BinaryFrame"/>.</summary>
    public const string BinaryFrameReason = "binary frames are not supported; send JSON text frames";

    /// <summary>
    /// 1008: the connection broke a policy: its token expired, it let its outbound queue fill,
    /// or it kept sending over its rate limit.
    /// </summary>
    public const WebSocketCloseStatus PolicyViolation = WebSocketCloseStatus.PolicyViolation;

    /// <summary>A <see cref="PolicyViolation"/> reason: the client reconnects with a fresh token.</summary>
    public const string TokenExpiredReason = "token expired; reconnect with a fresh token";

    /// <summary>A <see cref="PolicyViolation"/> reason: the client did not read its frames.</summary>
    public const string OutboundQueueFullReason = "outbound queue full: the client is not reading fast enough";

    /// <summary>A <see cref="PolicyViolation"/> reason: refused frames beyond the abuse threshold.</summary>
    public const string RateLimitExceededReason = "rate limit exceeded";

    /// <summary>1009: a message over the size limit, after a <c>too_large</c> error.</summary>
    public const WebSocketCloseStatus TooLarge = WebSocketCloseStatus.MessageTooBig;

    /// <summary>
    /// 4000: an application's backend disconnected the user through the server API, with a
    /// reason of its own (docs/api.md); clients do not reconnect on their own after it.
    /// </summary>
    public const WebSocketCloseStatus DisconnectedByServer = (WebSocketCloseStatus)4000;

    /// <summary>The reason sent with <see cref="DisconnectedByServer"/> when the backend gives none.</summary>
    public const string DisconnectedByServerReason = "disconnected by the server";

    /// <summary>1011: an internal error ended the connection.</summary>
    public const WebSocketCloseStatus InternalError = WebSocketCloseStatus.InternalServerError;

    /// <summary>The reason sent with <see cref="InternalError"/>.</summary>
    public const string InternalErrorReason = "internal error";
}
