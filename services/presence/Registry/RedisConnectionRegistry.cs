using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Rooms;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Registry;

internal sealed class RedisConnectionRegistry(IConnectionMultiplexer redis) : IConnectionRegistry
{
    private IDatabase Database => redis.GetDatabase();

    public async Task<RegistrationResult> RegisterAsync(RegisterConnection request, TimeSpan gatewayTtl)
    {
        var result = (string?)await RunAsync(
            RegistryScripts.Register,
            [RedisNames.GatewayConnections(request.GatewayId), RedisNames.ClosedConnection(request.ConnectionId)],
            [request.GatewayId, request.GatewayInstance, request.ConnectionId, request.UserId, Milliseconds(gatewayTtl)]);
        return result switch
        {
            "ok" => RegistrationResult.Registered,
            "stale" => RegistrationResult.StaleInstance,
            "closed" => RegistrationResult.AlreadyClosed,
            _ => throw new InvalidOperationException($"Unexpected registry reply '{result}'."),
        };
    }

    public async Task<bool> RemoveAsync(ConnectionClosed closed, TimeSpan closedTtl) =>
        (long)await RunAsync(
            RegistryScripts.Remove,
            [RedisNames.GatewayConnections(closed.GatewayId), RedisNames.ClosedConnection(closed.ConnectionId)],
            [closed.GatewayId, closed.ConnectionId, Milliseconds(closedTtl)]) == 1;

    public async Task<long?> RecordHeartbeatAsync(GatewayHeartbeatSent heartbeat, TimeSpan gatewayTtl)
    {
        var count = (long)await RunAsync(
            RegistryScripts.Heartbeat,
            [RedisNames.GatewayConnections(heartbeat.GatewayId)],
            [heartbeat.GatewayId, heartbeat.GatewayInstance, Milliseconds(gatewayTtl)]);
        return count < 0 ? null : count;
    }

    public async Task<bool> RemoveGatewayAsync(string gatewayId, string gatewayInstance) =>
        (long)await RunAsync(RegistryScripts.RemoveGateway, [], [gatewayId, gatewayInstance]) == 1;

    public async Task<IReadOnlyList<string>> RemoveExpiredGatewaysAsync(int limit)
    {
        var removed = (RedisValue[]?)await RunAsync(RegistryScripts.RemoveExpiredGateways, [], [limit]);
        return removed is null ? [] : [.. removed.Select(gateway => (string)gateway!)];
    }

    public async Task<bool> JoinAsync(JoinRoom request) =>
        (string?)await RunAsync(
            RegistryScripts.Join,
            [RedisNames.GatewayConnections(request.GatewayId)],
            [request.GatewayId, request.ConnectionId, request.Room]) == "ok";

    public Task LeaveAsync(LeaveRoom request) =>
        RunAsync(RegistryScripts.Leave, [], [request.GatewayId, request.ConnectionId, request.Room]);

    public async Task<long> PurgeRetiredAsync(int batchSize)
    {
        var database = Database;
        long purged = 0;
        while (await database.SetLengthAsync(RedisNames.RetiredGateways) > 0)
        {
            var before = await CountRetiredAsync(database);
            var left = (long)await RunAsync(RegistryScripts.PurgeRetired, [], [batchSize]);
            purged += Math.Max(0, before - left);
            if (left == 0)
            {
                break;
            }
        }

        return purged;
    }

    private static async Task<long> CountRetiredAsync(IDatabase database)
    {
        long count = 0;
        foreach (var entry in await database.SetMembersAsync(RedisNames.RetiredGateways))
        {
            var parts = ((string)entry!).Split('\n', 2);
            count += await database.HashLengthAsync(RedisNames.RetiredConnections(parts[0], parts[1]));
        }

        return count;
    }

    private Task<RedisResult> RunAsync(string script, RedisKey[] keys, RedisValue[] arguments) =>
        Database.ScriptEvaluateAsync(script, RegistryLayout.WithKeys(keys), RegistryLayout.WithArguments(arguments));

    private static long Milliseconds(TimeSpan value) => (long)value.TotalMilliseconds;
}
