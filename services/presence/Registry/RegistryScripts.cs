using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Presence.Registry;

/// <summary>
/// The registry's Lua scripts. Each runs atomically in Redis. It publishes the registry changes
/// it makes, numbered from one counter, so routers see every change once and in order. It also
/// publishes the joined/left events it causes to the gateways holding members of the room. The
/// scripts write neither format themselves: both come from the Lua encoders of the codecs that
/// own them (<see cref="RegistryChangeCodec.LuaEncoder"/>, <see cref="DataPlaneCodec.MembershipLuaEncoder"/>),
/// concatenated in front of the prelude.
/// Every script takes the keys and arguments of <see cref="RegistryLayout"/> first and its own
/// after them: KEYS from <see cref="RegistryLayout.FirstKey"/>, ARGV from <see cref="RegistryLayout.FirstArgument"/>.
/// </summary>
internal static class RegistryScripts
{
    private static readonly string Prelude = RegistryChangeCodec.LuaEncoder + DataPlaneCodec.MembershipLuaEncoder + """
        local instances, leases, sequence, rooms, retired_set = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
        local channel, gateway_channel, gateway_connections, retired_prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
        local room_prefix, members_suffix, users_suffix, gateways_suffix, connection_rooms = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
        local sequences_suffix, closed_prefix = ARGV[10], ARGV[11]
        local session_prefix, resumable_prefix, recovery_window = ARGV[12], ARGV[13], ARGV[14]

        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        -- Publishes a registry change, numbered: encode is one of the change_* functions.
        local function publish(encode, ...)
          redis.call('PUBLISH', channel, encode(redis.call('INCR', sequence), ...))
        end

        -- Tells every gateway holding members of the room that a user joined or left it.
        local function announce(room, kind, user, exclude)
          local payload = membership_event(kind, room, user, exclude)
          for _, gateway in ipairs(redis.call('HKEYS', room_prefix .. room .. gateways_suffix)) do
            redis.call('PUBLISH', gateway_channel .. gateway, payload)
          end
        end

        -- The connection's record of a room: the gateway sequence of its last join (positive)
        -- or leave (negative), or nil.
        local function record(connection, room)
          local value = redis.call('HGET', connection_rooms .. connection, room)
          return value and tonumber(value) or nil
        end

        -- Returns true if the connection was not a member yet. A quiet join (restoring what the
        -- registry lost) announces nothing: nobody joined as far as the members can tell.
        local function join(gateway, connection, user, room, loud, seq)
          if redis.call('HSETNX', room_prefix .. room .. members_suffix, connection, user) == 0 then return false end
          if redis.call('HINCRBY', room_prefix .. room .. users_suffix, user, 1) == 1 and loud then
            announce(room, membership_joined, user, connection)
          end
          redis.call('HINCRBY', room_prefix .. room .. gateways_suffix, gateway, 1)
          redis.call('SADD', rooms, room)
          redis.call('HSET', connection_rooms .. connection, room, seq)
          return true
        end

        -- Returns the member's user id, or false if the connection was not a member. Leaves a
        -- marker of the leave's sequence either way.
        local function leave(gateway, connection, room, seq)
          redis.call('HSET', connection_rooms .. connection, room, -seq)
          local members = room_prefix .. room .. members_suffix
          local user = redis.call('HGET', members, connection)
          if not user then return false end
          redis.call('HDEL', members, connection)
          local gateways = room_prefix .. room .. gateways_suffix
          if redis.call('HINCRBY', gateways, gateway, -1) <= 0 then redis.call('HDEL', gateways, gateway) end
          local users = room_prefix .. room .. users_suffix
          if redis.call('HINCRBY', users, user, -1) <= 0 then
            redis.call('HDEL', users, user)
            announce(room, membership_left, user, '')
          end
          if redis.call('HLEN', members) == 0 then
            redis.call('DEL', members, users, gateways)
            redis.call('SREM', rooms, room)
          end
          return user
        end

        -- The connection ended: its session can be resumed for the recovery window, and until
        -- then direct messages to its user are stored even when no connection of theirs is live.
        local function end_session(connection, user)
          redis.call('PEXPIRE', session_prefix .. connection, recovery_window)
          redis.call('SET', resumable_prefix .. user, '1', 'PX', recovery_window)
        end

        local function leave_all(gateway, connection)
          local records = redis.call('HGETALL', connection_rooms .. connection)
          for i = 1, #records, 2 do
            if tonumber(records[i + 1]) > 0 then leave(gateway, connection, records[i], 0) end
          end
          redis.call('DEL', connection_rooms .. connection)
        end

        -- Takes a departed instance's connections out of the registry in O(1), by moving them to
        -- a retired hash; their room memberships are cleaned up afterwards, in batches.
        local function retire(gateway, instance)
          local live = gateway_connections .. gateway
          redis.call('DEL', live .. sequences_suffix)
          if redis.call('EXISTS', live) == 1 then
            redis.call('RENAME', live, retired_prefix .. gateway .. ':' .. instance)
            redis.call('SADD', retired_set, gateway .. '\n' .. instance)
          end
          publish(change_gateway_removed, gateway)
        end

        local function remove_gateway(gateway, instance)
          retire(gateway, instance)
          redis.call('HDEL', instances, gateway)
          redis.call('ZREM', leases, gateway)
        end

        -- Makes `instance` the gateway's registered instance. Instance ids sort in start order:
        -- a newer one replaces an older one (whose connections died with it); an older one
        -- (a late message from a previous run) is refused.
        local function claim(gateway, instance)
          local current = redis.call('HGET', instances, gateway)
          if current == instance then return true end
          if current and current > instance then return false end
          if current then retire(gateway, current) end
          redis.call('HSET', instances, gateway, instance)
          return true
        end

        """;

    /// <summary>KEYS gateway connections, closed marker, sequences; ARGV gateway, instance, connection, user, lease ms, sequence.</summary>
    public static readonly string Register = Prelude + """
        local gateway, instance, connection, user, lease, seq = ARGV[15], ARGV[16], ARGV[17], ARGV[18], tonumber(ARGV[19]), ARGV[20]
        if redis.call('EXISTS', KEYS[7]) == 1 then return 'closed' end
        if not claim(gateway, instance) then return 'stale' end
        redis.call('ZADD', leases, now_ms() + lease, gateway)
        redis.call('HSET', KEYS[8], connection, seq)
        if redis.call('HSET', KEYS[6], connection, user) == 1 then
          publish(change_added, gateway, connection, user)
        end
        return 'ok'
        """;

    /// <summary>KEYS gateway connections, closed marker, sequences; ARGV gateway, connection, marker ms.</summary>
    public static readonly string Remove = Prelude + """
        local gateway, connection, marker = ARGV[15], ARGV[16], ARGV[17]
        redis.call('SET', KEYS[7], '1', 'PX', marker)
        local user = redis.call('HGET', KEYS[6], connection)
        if not user then return 0 end
        redis.call('HDEL', KEYS[6], connection)
        redis.call('HDEL', KEYS[8], connection)
        leave_all(gateway, connection)
        end_session(connection, user)
        publish(change_removed, gateway, connection, user)
        return 1
        """;

    /// <summary>KEYS gateway connections; ARGV gateway, instance, lease ms. Returns the connection count, or -1 for a replaced instance.</summary>
    public static readonly string Heartbeat = Prelude + """
        local gateway, instance, lease = ARGV[15], ARGV[16], tonumber(ARGV[17])
        if not claim(gateway, instance) then return -1 end
        redis.call('ZADD', leases, now_ms() + lease, gateway)
        return redis.call('HLEN', KEYS[6])
        """;

    /// <summary>ARGV gateway, instance.</summary>
    public static readonly string RemoveGateway = Prelude + """
        local gateway, instance = ARGV[15], ARGV[16]
        if redis.call('HGET', instances, gateway) ~= instance then return 0 end
        remove_gateway(gateway, instance)
        return 1
        """;

    /// <summary>ARGV limit. Returns the gateways removed.</summary>
    public static readonly string RemoveExpiredGateways = Prelude + """
        local limit = tonumber(ARGV[15])
        local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now_ms(), 'LIMIT', 0, limit)
        for _, gateway in ipairs(expired) do
          remove_gateway(gateway, redis.call('HGET', instances, gateway) or '')
        end
        return expired
        """;

    /// <summary>
    /// KEYS gateway connections; ARGV gateway, connection, room, sequence. Returns 'ok', or
    /// 'unknown' for a connection not registered. A join older than the room's record (a late
    /// redelivery) changes nothing.
    /// </summary>
    public static readonly string Join = Prelude + """
        local gateway, connection, room, seq = ARGV[15], ARGV[16], ARGV[17], tonumber(ARGV[18])
        local user = redis.call('HGET', KEYS[6], connection)
        if not user then return 'unknown' end
        local last = record(connection, room)
        if last and math.abs(last) > seq then return 'ok' end
        if join(gateway, connection, user, room, true, seq) then
          publish(change_joined, gateway, connection, room, user)
        end
        return 'ok'
        """;

    /// <summary>
    /// KEYS gateway connections; ARGV gateway, connection, room, sequence. A leave older than the
    /// room's record changes nothing; so does one for a connection no longer registered, whose
    /// close took its memberships already (a marker written for it would never be deleted).
    /// </summary>
    public static readonly string Leave = Prelude + """
        local gateway, connection, room, seq = ARGV[15], ARGV[16], ARGV[17], tonumber(ARGV[18])
        if redis.call('HEXISTS', KEYS[6], connection) == 0 then return 'ok' end
        local last = record(connection, room)
        if last and math.abs(last) > seq then return 'ok' end
        local user = leave(gateway, connection, room, seq)
        if user then
          publish(change_left, gateway, connection, room, user)
        end
        return 'ok'
        """;

    /// <summary>
    /// ARGV limit. Cleans up the room memberships of up to <c>limit</c> connections of retired
    /// gateway instances, announcing who left. Routers dropped these connections when the
    /// gateway was retired, so no registry change is published. Returns the connections left.
    /// </summary>
    public static readonly string PurgeRetired = Prelude + """
        local limit = tonumber(ARGV[15])
        local entry = redis.call('SRANDMEMBER', retired_set)
        if not entry then return 0 end
        local gateway, instance = string.match(entry, '^(.-)\n(.*)$')
        local retired = retired_prefix .. gateway .. ':' .. instance
        local picked = redis.call('HRANDFIELD', retired, limit, 'WITHVALUES')
        for i = 1, #picked, 2 do
          local connection = picked[i]
          leave_all(gateway, connection)
          end_session(connection, picked[i + 1])
          redis.call('HDEL', retired, connection)
        end
        if redis.call('HLEN', retired) == 0 then redis.call('SREM', retired_set, entry) end
        local left = 0
        for _, other in ipairs(redis.call('SMEMBERS', retired_set)) do
          local other_gateway, other_instance = string.match(other, '^(.-)\n(.*)$')
          left = left + redis.call('HLEN', retired_prefix .. other_gateway .. ':' .. other_instance)
        end
        return left
        """;

    /// <summary>
    /// KEYS gateway connections, sequences; ARGV gateway, instance, lease ms, the report's last
    /// sequence, then per connection: id, user, sequence, room count, rooms. Makes the registry
    /// hold each reported connection (unless it closed) with its reported rooms, except where
    /// a join or leave newer than the report has been recorded since: a membership the registry
    /// lost comes back quietly; one the gateway no longer has is left, and announced as a lost
    /// leave would have been. Returns the connections added, or -1 for a replaced instance.
    /// </summary>
    public static readonly string SyncBatch = Prelude + """
        local gateway, instance, lease, upto = ARGV[15], ARGV[16], tonumber(ARGV[17]), tonumber(ARGV[18])
        if not claim(gateway, instance) then return -1 end
        redis.call('ZADD', leases, now_ms() + lease, gateway)
        local added, i = 0, 19
        while i <= #ARGV do
          local connection, user, seq, count = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
          local reported = {}
          for r = 1, count do reported[ARGV[i + 3 + r]] = true end
          i = i + 4 + count
          if redis.call('EXISTS', closed_prefix .. connection) == 0 then
            if redis.call('HSETNX', KEYS[6], connection, user) == 1 then
              redis.call('HSET', KEYS[7], connection, seq)
              publish(change_added, gateway, connection, user)
              added = added + 1
            end
            local records = redis.call('HGETALL', connection_rooms .. connection)
            local known = {}
            for r = 1, #records, 2 do
              local room, value = records[r], tonumber(records[r + 1])
              known[room] = value
              if value > 0 and value <= upto and not reported[room] and leave(gateway, connection, room, upto) then
                publish(change_left, gateway, connection, room, user)
              end
            end
            for room in pairs(reported) do
              local value = known[room]
              if (value == nil or (value < 0 and -value <= upto)) and join(gateway, connection, user, room, false, upto) then
                publish(change_joined, gateway, connection, room, user)
              end
            end
          end
        end
        return added
        """;
}
