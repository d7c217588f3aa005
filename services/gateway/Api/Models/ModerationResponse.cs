namespace ChatPlatform.Gateway.Api.Models;

/// <param name="Connections">The connections the command reached.</param>
internal sealed record ModerationResponse(int Connections);
