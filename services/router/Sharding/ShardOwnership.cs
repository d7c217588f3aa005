namespace ChatPlatform.Router.Sharding;

/// <summary>
/// Which inbound shards this router may process right now. A shard is owned until a local
/// deadline that never outlasts its lease in Redis (it is counted from before the renewal was
/// sent), so a router that stalls past its lease stops processing the shard even before it
/// learns another router took it: no message is handled by two routers.
/// </summary>
internal sealed class ShardOwnership(int shardCount, TimeProvider time)
{
    private readonly long[] _ownedUntil = new long[shardCount];

    public int ShardCount => _ownedUntil.Length;

    public int OwnedCount
    {
        get
        {
            var now = time.GetTimestamp();
            var count = 0;
            for (var shard = 0; shard < _ownedUntil.Length; shard++)
            {
                if (now < Volatile.Read(ref _ownedUntil[shard]))
                {
                    count++;
                }
            }

            return count;
        }
    }

    public bool IsOwned(int shard) => time.GetTimestamp() < Volatile.Read(ref _ownedUntil[shard]);

    /// <param name="leaseRequestedAt">A <see cref="TimeProvider.GetTimestamp"/> taken before the acquire or renew request was sent.</param>
    public void Extend(int shard, long leaseRequestedAt, TimeSpan leaseTtl) =>
        Volatile.Write(ref _ownedUntil[shard], leaseRequestedAt + (long)(leaseTtl.TotalSeconds * time.TimestampFrequency));

    public void Revoke(int shard) => Volatile.Write(ref _ownedUntil[shard], 0);

    /// <summary>Stops processing every shard until it is extended again; returns how many were owned.</summary>
    public int RevokeAll()
    {
        var now = time.GetTimestamp();
        var revoked = 0;
        for (var shard = 0; shard < _ownedUntil.Length; shard++)
        {
            if (now < Interlocked.Exchange(ref _ownedUntil[shard], 0))
            {
                revoked++;
            }
        }

        return revoked;
    }
}
