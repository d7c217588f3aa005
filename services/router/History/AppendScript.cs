using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Router.History;

/// <summary>
/// Appends a message to its history stream and publishes it to the gateways holding its
/// recipients, in one atomic step: what is live and what is stored never disagree. The stream's
/// meta hash holds its epoch and last offset; a stream without one (new, expired, or lost with
/// Redis's data) starts a new epoch, from the server's clock, and drops any log left of the old
/// one. The entry's id is <c>{offset}-0</c>, so offsets read back with XRANGE.
/// Writes begin only after every check, so a script refused for memory writes nothing.
/// </summary>
internal static class AppendScript
{
    /// <summary>
    /// KEYS meta, log, resumable marker. ARGV delivery prefix (<see cref="DataPlaneCodec.EncodeStoredPrefix"/>),
    /// max length, ttl ms, whether the marker is needed (1 when no gateway holds the target user:
    /// stored only if they can still resume), then the gateway channels.
    /// Returns {epoch, offset, receivers per channel…}, or an empty array when not stored.
    /// </summary>
    public static readonly string Source = DataPlaneCodec.StoredDeliveryLuaEncoder + """
        local meta, log, marker = KEYS[1], KEYS[2], KEYS[3]
        local prefix, max_length, ttl, needs_marker = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
        if needs_marker == '1' and redis.call('EXISTS', marker) == 0 then return {} end
        local epoch = redis.call('HGET', meta, 'epoch')
        if not epoch then
          local t = redis.call('TIME')
          epoch = string.format('%x%06d', tonumber(t[1]), tonumber(t[2]))
          redis.call('DEL', log)
          redis.call('HSET', meta, 'epoch', epoch)
        end
        local offset = redis.call('HINCRBY', meta, 'offset', 1)
        local payload = stored_delivery(prefix, epoch, offset)
        redis.call('XADD', log, 'MAXLEN', max_length, offset .. '-0', 'd', payload)
        redis.call('PEXPIRE', meta, ttl)
        redis.call('PEXPIRE', log, ttl)
        local result = {epoch, offset}
        for i = 5, #ARGV do
          result[#result + 1] = redis.call('PUBLISH', ARGV[i], payload)
        end
        return result
        """;
}
