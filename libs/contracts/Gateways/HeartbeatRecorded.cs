namespace ChatPlatform.Contracts.Gateways;

/// <summary>Response to <see cref="RecordHeartbeat"/>.</summary>
/// <param name="Accepted">False when a newer instance of the gateway is registered.</param>
/// <param name="RegisteredConnections">Connections the registry holds for the gateway.</param>
public sealed record HeartbeatRecorded(bool Accepted, long RegisteredConnections);
