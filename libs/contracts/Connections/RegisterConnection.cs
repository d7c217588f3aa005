namespace ChatPlatform.Contracts.Connections;

/// <summary>
/// Request from a gateway to presence: record that <paramref name="ConnectionId"/> of
/// <paramref name="UserId"/> lives on the gateway. Answered with <see cref="ConnectionRegistered"/>
/// once the registry entry is written and the change is published to the routers, so the gateway
/// sends <c>welcome</c> only when the connection is routable.
/// </summary>
/// <param name="GatewayInstance">Identifies one run of the gateway process; instances compare
/// in start order, so a registry entry left by an earlier run is replaced, never resurrected.</param>
/// <param name="Sequence">Increases with each connection the gateway instance opens; see <see cref="Gateways.SyncGatewayConnections"/>.</param>
public sealed record RegisterConnection(
    string GatewayId,
    string GatewayInstance,
    string ConnectionId,
    string UserId,
    long Sequence);
