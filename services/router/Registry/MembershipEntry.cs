namespace ChatPlatform.Router.Registry;

internal readonly record struct MembershipEntry(string Room, string ConnectionId);
