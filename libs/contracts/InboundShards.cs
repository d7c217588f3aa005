namespace ChatPlatform.Contracts;

/// <summary>
/// Maps a sending connection to its inbound shard. All messages of one connection use one shard,
/// so one router handles them in order. The hash is FNV-1a over the id's UTF-16 code units:
/// stable across processes and versions, unlike <see cref="string.GetHashCode()"/>.
/// </summary>
public static class InboundShards
{
    public static int Of(string connectionId, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        var hash = 2166136261u;
        foreach (var c in connectionId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shardCount);
    }
}
