namespace ChatPlatform.Contracts.Gateways;

/// <summary>Event a gateway publishes as it shuts down: every connection it held is gone.</summary>
public sealed record GatewayStopped(string GatewayId, string GatewayInstance);
