namespace ChatPlatform.Load.Running;

/// <summary>What the clients' HS256 tokens are signed with, as the gateways are configured.</summary>
internal sealed record TokenSettings(string Secret, string Issuer, string Audience);
