namespace ChatPlatform.Gateway.Api.Models;

/// <summary>A publish's <c>to</c>: exactly one of its fields, as in a WebSocket <c>send</c>.</summary>
internal sealed record ApiTarget(string? User, string? Connection, string? Room, bool? Everyone);
