namespace ChatPlatform.Gateway.Api.Models;

internal sealed record RoomPresenceResponse(string Room, IReadOnlyList<string> Users);
