using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.History;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>Keeps sessions in memory and records the rooms each one starts in; <see cref="Fail"/> makes every call throw as an unreachable Redis would.</summary>
internal sealed class RecordingSessionStore : ISessionStore
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];

    public bool Fail { get; set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public Task<SessionToken> CreateAsync(ClientConnection connection, ResumePlan? resumed) =>
        Record($"create {connection.Id}", SessionToken.New(connection.Id));

    public Task RecordJoinAsync(ClientConnection connection, string room) => Record($"join {connection.Id} {room}", true);

    public Task RecordLeaveAsync(ClientConnection connection, string room) => Record($"leave {connection.Id} {room}", true);

    public Task<ResumePlan?> LoadAsync(ResumeRequest request, string userId) => Record<ResumePlan?>($"load {request.Session}", null);

    private Task<T> Record<T>(string call, T result)
    {
        if (Fail)
        {
            return Task.FromException<T>(new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect, StackExchange.Redis.CommandFlags.None, "down", null, StackExchange.Redis.CommandStatus.Unknown));
        }

        lock (_gate)
        {
            _calls.Add(call);
        }

        return Task.FromResult(result);
    }
}
