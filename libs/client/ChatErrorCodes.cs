using ChatPlatform.Protocol;

namespace ChatPlatform.Client;

/// <summary>
/// The values of <see cref="ChatException.Code"/>: the gateway's error codes (docs/protocol.md),
/// the same constants as the protocol's <see cref="ErrorCodes"/>, and the client's own.
/// </summary>
public static class ChatErrorCodes
{
    /// <summary>The gateway could not read the frame, or a field was invalid (e.g. a room name).</summary>
    public const string BadRequest = ErrorCodes.BadRequest;

    /// <summary>The gateway does not know the frame's type.</summary>
    public const string UnknownType = ErrorCodes.UnknownType;

    /// <summary>The target user or connection has no live connection.</summary>
    public const string Offline = ErrorCodes.Offline;

    /// <summary>Sending to a room this connection has not joined, or to everyone where that is off.</summary>
    public const string Forbidden = ErrorCodes.Forbidden;

    /// <summary>The frame is larger than the gateway accepts; the client refuses it before sending.</summary>
    public const string TooLarge = ErrorCodes.TooLarge;

    /// <summary>The connection sent frames faster than its limit; the frame was dropped.</summary>
    public const string RateLimited = ErrorCodes.RateLimited;

    /// <summary>A backend of the gateway is down; the call did not take effect, or may not have.</summary>
    public const string Unavailable = ErrorCodes.Unavailable;

    /// <summary>The gateway failed to handle the frame.</summary>
    public const string Internal = ErrorCodes.Internal;

    /// <summary>Server API: a request with the same <c>Idempotency-Key</c> is still in flight (HTTP 409); try again later.</summary>
    public const string Conflict = "conflict";

    /// <summary>Client side: no answer came within <see cref="ChatClientOptions.RequestTimeout"/> (or, from the server API, within the HTTP client's timeout).</summary>
    public const string Timeout = "timeout";

    /// <summary>Client side: the client is not connected, or the connection was lost before the answer came.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>Client side: no gateway could be reached, or one refused the connection; or the server API could not be reached.</summary>
    public const string ConnectFailed = "connect_failed";

    /// <summary>A gateway refused the credentials (HTTP 401 or 403), or the server API the API key (HTTP 401, with no body).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>Client side: the gateway's answer, or its welcome, did not have the shape the protocol promises.</summary>
    public const string ProtocolError = "protocol_error";
}
