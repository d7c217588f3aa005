using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Registry;

internal sealed class RedisConnectionRegistry(IConnectionMultiplexer redis, IOptions<RecoveryOptions>? recovery = null) : IConnectionRegistry
{
    private const int SyncBatchSize = 200;

    private readonly long _recoveryWindowMs = Milliseconds((recovery?.Value ?? new RecoveryOptions()).Window);

    private IDatabase Database => redis.GetDatabase();

    public async Task<RegistrationResult> RegisterAsync(RegisterConnection request, TimeSpan gatewayTtl)
    {
        var result = (string?)await RunAsync(
            RegistryScripts.Register,
            [RedisNames.GatewayConnections(request.GatewayId), RedisNames.ClosedConnection(request.ConnectionId), RedisNames.GatewayConnectionSequences(request.GatewayId)],
            [request.GatewayId, request.GatewayInstance, request.ConnectionId, request.UserId, Milliseconds(gatewayTtl), request.Sequence]);
        return result switch
        {
            "ok" => RegistrationResult.Registered,
            "stale" => RegistrationResult.StaleInstance,
            "closed" => RegistrationResult.AlreadyClosed,
            _ => throw new InvalidOperationException($"Unexpected registry reply '{result}'."),
        };
    }

    public Task<bool> RemoveAsync(ConnectionClosed closed, TimeSpan closedTtl) =>
        RemoveAsync(closed.GatewayId, closed.ConnectionId, closedTtl);

    public async Task<long?> RecordHeartbeatAsync(RecordHeartbeat heartbeat, TimeSpan gatewayTtl)
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
            [request.GatewayId, request.ConnectionId, request.Room, request.Sequence]) == "ok";

    public Task LeaveAsync(LeaveRoom request) =>
        RunAsync(RegistryScripts.Leave, [RedisNames.GatewayConnections(request.GatewayId)], [request.GatewayId, request.ConnectionId, request.Room, request.Sequence]);

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

    public async Task<GatewayConnectionsSynced> SyncAsync(SyncGatewayConnections report, TimeSpan gatewayTtl, TimeSpan closedTtl)
    {
        // Add and repair in batches, so no step holds Redis for the size of a whole gateway.
        var added = 0;
        foreach (var batch in report.Connections.Chunk(SyncBatchSize).DefaultIfEmpty([]))
        {
            var arguments = new List<RedisValue> { report.GatewayId, report.GatewayInstance, Milliseconds(gatewayTtl), report.UpToSequence };
            foreach (var connection in batch)
            {
                arguments.AddRange([connection.ConnectionId, connection.UserId, connection.Sequence, connection.Rooms.Count]);
                arguments.AddRange(connection.Rooms.Select(room => (RedisValue)room));
            }

            var result = (long)await RunAsync(
                RegistryScripts.SyncBatch,
                [RedisNames.GatewayConnections(report.GatewayId), RedisNames.GatewayConnectionSequences(report.GatewayId)],
                [.. arguments]);
            if (result < 0)
            {
                return new GatewayConnectionsSynced(false, added, 0);
            }

            added += (int)result;
        }

        // Then remove what the gateway no longer holds, unless it was registered after the report was taken.
        var reported = report.Connections.Select(connection => connection.ConnectionId).ToHashSet(StringComparer.Ordinal);
        var database = Database;
        var registered = await database.HashKeysAsync(RedisNames.GatewayConnections(report.GatewayId));
        var sequences = (await database.HashGetAllAsync(RedisNames.GatewayConnectionSequences(report.GatewayId)))
            .ToDictionary(entry => (string)entry.Name!, entry => (long)entry.Value, StringComparer.Ordinal);
        var removed = 0;
        foreach (var connection in registered.Select(id => (string)id!).Where(id => !reported.Contains(id)))
        {
            if (sequences.GetValueOrDefault(connection) <= report.UpToSequence && await RemoveAsync(report.GatewayId, connection, closedTtl))
            {
                removed++;
            }
        }

        return new GatewayConnectionsSynced(true, added, removed);
    }

    private async Task<bool> RemoveAsync(string gatewayId, string connectionId, TimeSpan closedTtl) =>
        (long)await RunAsync(
            RegistryScripts.Remove,
            [RedisNames.GatewayConnections(gatewayId), RedisNames.ClosedConnection(connectionId), RedisNames.GatewayConnectionSequences(gatewayId)],
            [gatewayId, connectionId, Milliseconds(closedTtl)]) == 1;

    private Task<RedisResult> RunAsync(string script, RedisKey[] keys, RedisValue[] arguments) =>
        Database.ScriptEvaluateAsync(script, RegistryLayout.WithKeys(keys), RegistryLayout.WithArguments(_recoveryWindowMs, arguments));

    private static long Milliseconds(TimeSpan value) => (long)value.TotalMilliseconds;
}
