namespace ChatPlatform.Gateway.Api.Models;

internal sealed record UserPresenceResponse(string User, bool Online, int Connections);
