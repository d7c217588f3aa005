namespace ChatPlatform.Gateway.Authentication;

/// <summary>Who an upgrade request is, once checked.</summary>
internal sealed record UpgradeIdentity(string UserId, ConnectionGrants Grants);
