using ChatPlatform.Contracts;
using StackExchange.Redis;

namespace ChatPlatform.Testing;

/// <summary>Reads the connection registry straight from Redis, to check what presence wrote.</summary>
public static class Registry
{
    public static async Task<bool> ContainsAsync(IConnectionMultiplexer redis, string gatewayId, string connectionId) =>
        await redis.GetDatabase().HashExistsAsync(RedisNames.GatewayConnections(gatewayId), connectionId);

    public static async Task<long> CountAsync(IConnectionMultiplexer redis, string gatewayId) =>
        await redis.GetDatabase().HashLengthAsync(RedisNames.GatewayConnections(gatewayId));

    /// <summary>The router id holding each shard's lease ('' when free).</summary>
    public static async Task<string[]> ShardOwnersAsync(IConnectionMultiplexer redis, int shardCount)
    {
        var database = redis.GetDatabase();
        var owners = new string[shardCount];
        for (var shard = 0; shard < shardCount; shard++)
        {
            owners[shard] = (string?)await database.StringGetAsync(RedisNames.ShardLease(shard)) ?? "";
        }

        return owners;
    }
}
