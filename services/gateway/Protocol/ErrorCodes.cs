namespace ChatPlatform.Gateway.Protocol;

/// <summary>The <c>code</c> values of <c>error</c> frames (docs/protocol.md).</summary>
internal static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string UnknownType = "unknown_type";
    public const string Offline = "offline";
    public const string Forbidden = "forbidden";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
}
