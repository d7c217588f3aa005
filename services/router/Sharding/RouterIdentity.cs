namespace ChatPlatform.Router.Sharding;

internal sealed record RouterIdentity(string Id);
