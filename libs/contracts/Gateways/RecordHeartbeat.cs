namespace ChatPlatform.Contracts.Gateways;

/// <summary>
/// Request a gateway sends on a fixed interval. Presence keeps the gateway's registry entries
/// alive while these arrive and removes them once they stop for the configured time to live.
/// Answered with <see cref="HeartbeatRecorded"/>, which lets the gateway see whether the
/// registry still holds what it holds.
/// </summary>
/// <param name="ConnectionCount">Connections the gateway holds, registered or being registered.</param>
public sealed record RecordHeartbeat(string GatewayId, string GatewayInstance, int ConnectionCount);
