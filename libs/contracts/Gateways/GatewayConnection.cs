namespace ChatPlatform.Contracts.Gateways;

/// <summary>One connection in a <see cref="SyncGatewayConnections"/> report.</summary>
/// <param name="Sequence">The <see cref="Connections.RegisterConnection.Sequence"/> it was registered with.</param>
/// <param name="Rooms">The rooms it is a member of, not counting a join still in progress.</param>
public sealed record GatewayConnection(string ConnectionId, string UserId, long Sequence, IReadOnlyList<string> Rooms);
