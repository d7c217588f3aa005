namespace ChatPlatform.Presence;

internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Debug, "Registered connection {ConnectionId} of {UserId} on {GatewayId}")]
    public static partial void ConnectionRegistered(ILogger logger, string connectionId, string userId, string gatewayId);

    [LoggerMessage(3002, LogLevel.Information, "Refused registration of {ConnectionId} on {GatewayId}: {Result}")]
    public static partial void RegistrationRefused(ILogger logger, string connectionId, string gatewayId, string result);

    [LoggerMessage(3003, LogLevel.Debug, "Removed connection {ConnectionId} of {UserId} on {GatewayId}")]
    public static partial void ConnectionRemoved(ILogger logger, string connectionId, string userId, string gatewayId);

    [LoggerMessage(3004, LogLevel.Debug, "Ignored a heartbeat from replaced instance {GatewayInstance} of {GatewayId}")]
    public static partial void StaleHeartbeat(ILogger logger, string gatewayId, string gatewayInstance);

    [LoggerMessage(3005, LogLevel.Information, "Gateway {GatewayId} stopped; its connections are removed")]
    public static partial void GatewayStopped(ILogger logger, string gatewayId);

    [LoggerMessage(3006, LogLevel.Warning, "Gateway {GatewayId} sent no heartbeat for {Ttl}; its connections are removed")]
    public static partial void GatewayExpired(ILogger logger, string gatewayId, TimeSpan ttl);

    [LoggerMessage(3008, LogLevel.Information, "Took {Connections} connections of removed gateways out of their rooms")]
    public static partial void RetiredPurged(ILogger logger, long connections);

    [LoggerMessage(3009, LogLevel.Information, "Reconciled gateway {GatewayId}'s report of {Reported} connections: {Added} added, {Removed} removed")]
    public static partial void GatewaySynced(ILogger logger, string gatewayId, int reported, int added, int removed);

    [LoggerMessage(3007, LogLevel.Warning, "Looking for expired gateways failed; retrying")]
    public static partial void ReapFailed(ILogger logger, Exception exception);
}
