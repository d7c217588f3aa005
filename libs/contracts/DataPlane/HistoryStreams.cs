namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// The names of history streams, as clients see them in <c>message</c> frames and <c>since</c>
/// (docs/protocol.md): <c>user:{id}</c> for the direct messages to a user, <c>room:{name}</c>
/// for a room's messages. Their Redis keys are <see cref="RedisNames.HistoryLog"/> and
/// <see cref="RedisNames.HistoryMeta"/>.
/// </summary>
public static class HistoryStreams
{
    public const string UserPrefix = "user:";
    public const string RoomPrefix = "room:";

    public static string OfUser(string userId) => UserPrefix + userId;

    public static string OfRoom(string room) => RoomPrefix + room;

    /// <summary>The room a room stream belongs to, or null for another stream.</summary>
    public static string? RoomOf(string stream) =>
        stream.StartsWith(RoomPrefix, StringComparison.Ordinal) ? stream[RoomPrefix.Length..] : null;
}
