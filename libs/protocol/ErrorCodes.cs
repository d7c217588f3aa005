namespace ChatPlatform.Protocol;

/// <summary>The <c>code</c> of an <c>error</c> frame (docs/protocol.md, "error").</summary>
public static class ErrorCodes
{
    /// <summary>The frame could not be read, or a field was missing or invalid.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The frame's <c>type</c> is not one the gateway knows.</summary>
    public const string UnknownType = "unknown_type";

    /// <summary>The target user or connection has no live connection.</summary>
    public const string Offline = "offline";

    /// <summary>Not allowed: a room not joined, sending to everyone, or a private room.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The frame exceeded the size limit; the connection is closed with 1009.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Over the connection's rate, or too many frames waiting: the frame was dropped.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A backend is down: the frame did not take effect, or may not have.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The gateway failed to handle the frame; the connection stays open.</summary>
    public const string Internal = "internal";
}
