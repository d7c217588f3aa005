using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.History;

/// <summary>Reads history streams from Redis, where the routers' append script writes them; each read is one script, so atomic.</summary>
internal sealed class RedisHistoryReader(IConnectionMultiplexer redis) : IHistoryReader
{
    /// <summary>KEYS meta, log. ARGV after offset, count. Returns {epoch, last offset, payloads…} oldest first.</summary>
    private const string AfterScript = """
        local position = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
        if not position[1] then return {'', 0} end
        local result = {position[1], tonumber(position[2])}
        for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '+', 'COUNT', ARGV[2])) do
          result[#result + 1] = entry[2][2]
        end
        return result
        """;

    /// <summary>KEYS meta, log. ARGV before offset ('' for none), count. Returns {epoch, last offset, payloads…} oldest first.</summary>
    private const string BeforeScript = """
        local position = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
        if not position[1] then return {'', 0} end
        local newest = ARGV[1] == '' and '+' or '(' .. ARGV[1] .. '-0'
        local entries = redis.call('XREVRANGE', KEYS[2], newest, '-', 'COUNT', ARGV[2])
        local result = {position[1], tonumber(position[2])}
        for i = #entries, 1, -1 do result[#result + 1] = entries[i][2][2] end
        return result
        """;

    private IDatabase Database => redis.GetDatabase();

    public Task<StoredPage> ReadAfterAsync(string stream, long after, int count) =>
        ReadAsync(AfterScript, stream, after, count);

    public Task<StoredPage> ReadBeforeAsync(string stream, long? before, int count) =>
        ReadAsync(BeforeScript, stream, before is { } offset ? (RedisValue)offset : "", count);

    private async Task<StoredPage> ReadAsync(string script, string stream, RedisValue offset, int count)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(script, [RedisNames.HistoryMeta(stream), RedisNames.HistoryLog(stream)], [offset, count]))!;
        var messages = new Delivery[result.Length - 2];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = DataPlaneCodec.DecodeDelivery((byte[])result[i + 2]!);
        }

        return new StoredPage((string)result[0]!, (long)result[1], messages);
    }
}
