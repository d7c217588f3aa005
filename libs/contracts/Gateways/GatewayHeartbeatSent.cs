namespace ChatPlatform.Contracts.Gateways;

/// <summary>
/// Event a gateway publishes on a fixed interval. Presence keeps the gateway's registry entries
/// alive while these arrive and removes them once they stop for the configured time to live.
/// </summary>
public sealed record GatewayHeartbeatSent(
    string GatewayId,
    string GatewayInstance,
    int ConnectionCount);
