namespace ChatPlatform.Contracts.Connections;

/// <summary>Event from a gateway: the connection's socket is gone.</summary>
public sealed record ConnectionClosed(
    string GatewayId,
    string GatewayInstance,
    string ConnectionId,
    string UserId);
