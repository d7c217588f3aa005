using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Registry;

internal sealed class RedisConnectionRegistry(IConnectionMultiplexer redis) : IConnectionRegistry
{
    private IDatabase Database => redis.GetDatabase();

    public async Task<RegistrationResult> RegisterAsync(RegisterConnection request, TimeSpan gatewayTtl)
    {
        var result = (string?)await Database.ScriptEvaluateAsync(
            RegistryScripts.Register,
            Keys(request.GatewayId, RedisNames.ClosedConnection(request.ConnectionId)),
            [RedisNames.RegistryChanges, request.GatewayId, request.GatewayInstance, request.ConnectionId, request.UserId, Milliseconds(gatewayTtl)]);
        return result switch
        {
            "ok" => RegistrationResult.Registered,
            "stale" => RegistrationResult.StaleInstance,
            "closed" => RegistrationResult.AlreadyClosed,
            _ => throw new InvalidOperationException($"Unexpected registry reply '{result}'."),
        };
    }

    public async Task<bool> RemoveAsync(ConnectionClosed closed, TimeSpan closedTtl)
    {
        var removed = (long)await Database.ScriptEvaluateAsync(
            RegistryScripts.Remove,
            Keys(closed.GatewayId, RedisNames.ClosedConnection(closed.ConnectionId)),
            [RedisNames.RegistryChanges, closed.GatewayId, closed.ConnectionId, Milliseconds(closedTtl)]);
        return removed == 1;
    }

    public async Task<long?> RecordHeartbeatAsync(GatewayHeartbeatSent heartbeat, TimeSpan gatewayTtl)
    {
        var count = (long)await Database.ScriptEvaluateAsync(
            RegistryScripts.Heartbeat,
            Keys(heartbeat.GatewayId),
            [RedisNames.RegistryChanges, heartbeat.GatewayId, heartbeat.GatewayInstance, Milliseconds(gatewayTtl)]);
        return count < 0 ? null : count;
    }

    public async Task<bool> RemoveGatewayAsync(string gatewayId, string gatewayInstance)
    {
        var removed = (long)await Database.ScriptEvaluateAsync(
            RegistryScripts.RemoveGateway,
            Keys(gatewayId),
            [RedisNames.RegistryChanges, gatewayId, gatewayInstance]);
        return removed == 1;
    }

    public async Task<IReadOnlyList<string>> RemoveExpiredGatewaysAsync(int limit)
    {
        var removed = (RedisValue[]?)await Database.ScriptEvaluateAsync(
            RegistryScripts.RemoveExpiredGateways,
            [RedisNames.GatewayInstances, RedisNames.GatewayLeases, RedisNames.RegistrySequence],
            [RedisNames.RegistryChanges, RedisNames.GatewayConnectionsPrefix, limit]);
        return removed is null ? [] : [.. removed.Select(gateway => (string)gateway!)];
    }

    private static RedisKey[] Keys(string gatewayId, string? closedMarker = null)
    {
        RedisKey[] keys = [RedisNames.GatewayInstances, RedisNames.GatewayLeases, RedisNames.RegistrySequence, RedisNames.GatewayConnections(gatewayId)];
        return closedMarker is null ? keys : [.. keys, closedMarker];
    }

    private static long Milliseconds(TimeSpan value) => (long)value.TotalMilliseconds;
}
