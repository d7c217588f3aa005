namespace ChatPlatform.Gateway.Api.Models;

/// <param name="Reason">The close reason clients see: at most 123 bytes of UTF-8.</param>
internal sealed record DisconnectRequest(string? Reason);
