using System.Globalization;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.History;

/// <summary>
/// Keeps each connection's session in a Redis hash (<see cref="RedisNames.Session"/>): its user,
/// the hash of its secret, and its start in each stream. Presence gives the hash its recovery
/// window when the connection ends.
/// </summary>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis) : ISessionStore
{
    /// <summary>
    /// How long a live connection's session lasts without a join or leave refreshing it: a safety
    /// net for a session whose connection presence never saw end (e.g. its gateway died before
    /// registering it). As long as history's default time to live: nothing older is left to recover.
    /// </summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private const string UserField = "~user";
    private const string KeyField = "~key";

    private static readonly RedisValue LifetimeMs = ((long)Lifetime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A stream's current position, as a start. A stream with no epoch yet gets one now (as the
    /// routers' append script would, from the server's clock), so that a start always names the
    /// epoch its offset belongs to and a stream lost later shows as a new epoch.
    /// </summary>
    private const string StartOf = """
        local function start_of(meta, lifetime)
          local epoch = redis.call('HGET', meta, 'epoch')
          if not epoch then
            local t = redis.call('TIME')
            epoch = string.format('%x%06d', tonumber(t[1]), tonumber(t[2]))
            redis.call('HSET', meta, 'epoch', epoch, 'offset', 0)
            redis.call('PEXPIRE', meta, lifetime)
          end
          return epoch .. ' ' .. (redis.call('HGET', meta, 'offset') or '0')
        end

        """;

    /// <summary>KEYS session, user stream meta. ARGV user, key hash, lifetime ms, user stream, then (stream, start) pairs that override.</summary>
    private const string CreateScript = StartOf + """
        local session, meta = KEYS[1], KEYS[2]
        redis.call('DEL', session)
        redis.call('HSET', session, '~user', ARGV[1], '~key', ARGV[2], ARGV[4], start_of(meta, ARGV[3]))
        for i = 5, #ARGV, 2 do redis.call('HSET', session, ARGV[i], ARGV[i + 1]) end
        redis.call('PEXPIRE', session, ARGV[3])
        """;

    /// <summary>KEYS session, room stream meta. ARGV room stream, lifetime ms.</summary>
    private const string JoinScript = StartOf + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], start_of(KEYS[2], ARGV[2]))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    private IDatabase Database => redis.GetDatabase();

    public async Task<SessionToken> CreateAsync(ClientConnection connection, ResumePlan? resumed)
    {
        var token = SessionToken.New(connection.Id);
        var userStream = HistoryStreams.OfUser(connection.UserId);
        List<RedisValue> arguments = [connection.UserId, token.KeyHash(), LifetimeMs, userStream];
        foreach (var (stream, start) in resumed?.Starts ?? new Dictionary<string, StreamStart>())
        {
            arguments.Add(stream);
            arguments.Add(start.Format());
        }

        await Database.ScriptEvaluateAsync(CreateScript, [RedisNames.Session(connection.Id), RedisNames.HistoryMeta(userStream)], [.. arguments]);
        return token;
    }

    public Task RecordJoinAsync(ClientConnection connection, string room)
    {
        var stream = HistoryStreams.OfRoom(room);
        return Database.ScriptEvaluateAsync(JoinScript, [RedisNames.Session(connection.Id), RedisNames.HistoryMeta(stream)], [stream, LifetimeMs]);
    }

    public Task RecordLeaveAsync(ClientConnection connection, string room) =>
        Database.HashDeleteAsync(RedisNames.Session(connection.Id), HistoryStreams.OfRoom(room));

    public async Task<ResumePlan?> LoadAsync(ResumeRequest request, string userId)
    {
        if (SessionToken.Parse(request.Session) is not { } token)
        {
            return null;
        }

        var fields = await Database.HashGetAllAsync(RedisNames.Session(token.ConnectionId));
        var values = fields.ToDictionary(field => (string)field.Name!, field => (string)field.Value!, StringComparer.Ordinal);
        if (!values.TryGetValue(UserField, out var user) || user != userId
            || !values.TryGetValue(KeyField, out var keyHash) || !token.Matches(keyHash))
        {
            return null;
        }

        var starts = new Dictionary<string, StreamStart>(StringComparer.Ordinal);
        var rooms = new List<string>();
        foreach (var (stream, value) in values)
        {
            if (stream.StartsWith('~') || StreamStart.Parse(value) is not { } start)
            {
                continue;
            }

            if (request.Since.TryGetValue(stream, out var since) && since > start.Offset)
            {
                start = start with { Offset = since };
            }

            starts[stream] = start;
            if (HistoryStreams.RoomOf(stream) is { } room)
            {
                rooms.Add(room);
            }
        }

        rooms.Sort(StringComparer.Ordinal);
        return new ResumePlan(token.ConnectionId, rooms, starts);
    }
}
