namespace ChatPlatform.Router.Registry;

internal readonly record struct RegistryEntry(string GatewayId, string ConnectionId, string UserId);
