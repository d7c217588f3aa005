namespace ChatPlatform.Gateway.Api;

/// <summary>The server API's error codes beyond the WebSocket protocol's (docs/api.md, "Errors").</summary>
internal static class ApiErrorCodes
{
    /// <summary>A request with the same <c>Idempotency-Key</c> is still in flight.</summary>
    public const string Conflict = "conflict";
}
