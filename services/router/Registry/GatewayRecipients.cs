namespace ChatPlatform.Router.Registry;

/// <summary>How many of a target's connections one gateway holds.</summary>
internal readonly record struct GatewayRecipients(string GatewayId, int Connections);
