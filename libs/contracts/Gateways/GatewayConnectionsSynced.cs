namespace ChatPlatform.Contracts.Gateways;

/// <summary>Response to <see cref="SyncGatewayConnections"/>.</summary>
/// <param name="Accepted">False when a newer instance of the gateway is registered.</param>
/// <param name="Added">Connections the registry did not hold and now does.</param>
/// <param name="Removed">Connections the registry held that the gateway does not.</param>
public sealed record GatewayConnectionsSynced(bool Accepted, int Added, int Removed);
