using ChatPlatform.Gateway.Connections;

namespace ChatPlatform.Gateway.History;

/// <summary>
/// Each connection's session: its user, the hash of its secret, and where it starts in each of
/// its streams. A stream's start is taken before the connection can get the stream's messages
/// (before it is registered, before a join takes effect), so every message after the start was
/// either delivered to it or is there to recover. A session lasts while its connection does
/// (refreshed by joins and leaves, at most 24 h without one) and then for the recovery window.
/// </summary>
internal interface ISessionStore
{
    /// <summary>
    /// Starts the connection's session; its user stream starts now, unless <paramref name="resumed"/>
    /// carries on from an older session's starts. Call before the connection is registered.
    /// </summary>
    /// <returns>The token for its <c>welcome</c>.</returns>
    /// <exception cref="StackExchange.Redis.RedisException">The store is unreachable.</exception>
    Task<SessionToken> CreateAsync(ClientConnection connection, ResumePlan? resumed);

    /// <summary>The connection is joining the room: its room stream starts now. Call before the join takes effect.</summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store is unreachable.</exception>
    Task RecordJoinAsync(ClientConnection connection, string room);

    /// <summary>The connection left the room, or never got into it: a resume does not bring it back.</summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store is unreachable.</exception>
    Task RecordLeaveAsync(ClientConnection connection, string room);

    /// <summary>
    /// What resuming <paramref name="request"/> takes over, or null when its session is unknown,
    /// expired, malformed or another user's. Each stream starts at the later of where the session
    /// started in it and what the client says it got (<see cref="ResumeRequest.Since"/>).
    /// </summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store is unreachable.</exception>
    Task<ResumePlan?> LoadAsync(ResumeRequest request, string userId);
}
