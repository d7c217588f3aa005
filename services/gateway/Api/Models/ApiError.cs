namespace ChatPlatform.Gateway.Api.Models;

/// <summary>An error answer: the WebSocket protocol's error code and what went wrong.</summary>
internal sealed record ApiError(string Code, string Message);
