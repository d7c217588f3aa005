namespace ChatPlatform.Presence.Registry;

/// <summary>
/// The registry's Lua scripts. Each runs atomically in Redis and publishes the changes it makes
/// in the format <see cref="Contracts.Registry.RegistryChangeCodec"/> parses, numbered from one
/// counter, so subscribers see every change once and in order.
/// Every script takes KEYS[1] gateway instances, KEYS[2] gateway leases, KEYS[3] change sequence,
/// and ARGV[1] the change channel; the rest are its own.
/// </summary>
internal static class RegistryScripts
{
    private const string Prelude = """
        local instances, leases, sequence, channel = KEYS[1], KEYS[2], KEYS[3], ARGV[1]

        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        local function publish(change)
          local seq = redis.call('INCR', sequence)
          redis.call('PUBLISH', channel, seq .. '\n' .. change)
        end

        local function remove_gateway(gateway, connections)
          redis.call('DEL', connections)
          redis.call('HDEL', instances, gateway)
          redis.call('ZREM', leases, gateway)
          publish('G\n' .. gateway)
        end

        -- Makes `instance` the gateway's registered instance. Instance ids sort in start order:
        -- a newer one replaces an older one (whose connections died with it); an older one
        -- (a late message from a previous run) is refused.
        local function claim(gateway, instance, connections)
          local current = redis.call('HGET', instances, gateway)
          if current == instance then return true end
          if current and current > instance then return false end
          if current then
            redis.call('DEL', connections)
            publish('G\n' .. gateway)
          end
          redis.call('HSET', instances, gateway, instance)
          return true
        end

        """;

    /// <summary>KEYS[4] gateway connections, KEYS[5] closed marker; ARGV gateway, instance, connection, user, lease ms.</summary>
    public const string Register = Prelude + """
        local gateway, instance, connection, user, lease = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
        if redis.call('EXISTS', KEYS[5]) == 1 then return 'closed' end
        if not claim(gateway, instance, KEYS[4]) then return 'stale' end
        redis.call('ZADD', leases, now_ms() + lease, gateway)
        if redis.call('HSET', KEYS[4], connection, user) == 1 then
          publish('+\n' .. gateway .. '\n' .. connection .. '\n' .. user)
        end
        return 'ok'
        """;

    /// <summary>KEYS[4] gateway connections, KEYS[5] closed marker; ARGV gateway, connection, marker ms.</summary>
    public const string Remove = Prelude + """
        local gateway, connection, marker = ARGV[2], ARGV[3], ARGV[4]
        redis.call('SET', KEYS[5], '1', 'PX', marker)
        local user = redis.call('HGET', KEYS[4], connection)
        if not user then return 0 end
        redis.call('HDEL', KEYS[4], connection)
        publish('-\n' .. gateway .. '\n' .. connection .. '\n' .. user)
        return 1
        """;

    /// <summary>KEYS[4] gateway connections; ARGV gateway, instance, lease ms. Returns the connection count, or -1 for a replaced instance.</summary>
    public const string Heartbeat = Prelude + """
        local gateway, instance, lease = ARGV[2], ARGV[3], tonumber(ARGV[4])
        if not claim(gateway, instance, KEYS[4]) then return -1 end
        redis.call('ZADD', leases, now_ms() + lease, gateway)
        return redis.call('HLEN', KEYS[4])
        """;

    /// <summary>KEYS[4] gateway connections; ARGV gateway, instance.</summary>
    public const string RemoveGateway = Prelude + """
        local gateway, instance = ARGV[2], ARGV[3]
        if redis.call('HGET', instances, gateway) ~= instance then return 0 end
        remove_gateway(gateway, KEYS[4])
        return 1
        """;

    /// <summary>
    /// ARGV connections key prefix, limit. Builds the expired gateways' connection keys from the
    /// prefix, which is fine on a single Redis primary (not on Redis Cluster).
    /// </summary>
    public const string RemoveExpiredGateways = Prelude + """
        local prefix, limit = ARGV[2], tonumber(ARGV[3])
        local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now_ms(), 'LIMIT', 0, limit)
        for _, gateway in ipairs(expired) do
          remove_gateway(gateway, prefix .. gateway)
        end
        return expired
        """;
}
