namespace ChatPlatform.Router.Sharding;

internal static class LeaseScripts
{
    /// <summary>
    /// One lease round for a router, atomically: check that every router runs with the same shard
    /// count, refresh the router's membership and drop expired members, renew the shard leases it
    /// holds, and report the live router count followed by each shard's owner ('' when free).
    /// KEYS[1] members, KEYS[2] shard count, KEYS[3..] shard leases; ARGV router id, lease ms, shard count.
    /// </summary>
    public const string Tick = """
        local me, lease, count = ARGV[1], tonumber(ARGV[2]), ARGV[3]
        local configured = redis.call('GET', KEYS[2])
        if configured and configured ~= count then
          return redis.error_reply('SHARDCOUNT routers are running with ' .. configured .. ' shards')
        end
        redis.call('SET', KEYS[2], count, 'PX', lease)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', KEYS[1], now + lease, me)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local reply = { redis.call('ZCARD', KEYS[1]) }
        for i = 3, #KEYS do
          local owner = redis.call('GET', KEYS[i])
          if owner == me then redis.call('PEXPIRE', KEYS[i], lease) end
          reply[#reply + 1] = owner or ''
        end
        return reply
        """;

    /// <summary>KEYS[1] shard lease; ARGV router id. Deletes the lease only if this router holds it.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
