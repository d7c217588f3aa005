namespace ChatPlatform.Router.Sharding;

/// <summary>
/// Decides which shards a router should give up or try to take so that live routers share the
/// shards evenly: each aims for ceil(shards / routers).
/// </summary>
internal static class ShardBalancer
{
    public static int FairShare(int shardCount, int liveRouters) =>
        (shardCount + Math.Max(liveRouters, 1) - 1) / Math.Max(liveRouters, 1);

    /// <param name="owners">The lease holder of each shard, empty when free.</param>
    /// <param name="offset">Where this router starts looking for free shards, so routers starting together do not all race for the same ones.</param>
    public static BalancePlan Plan(IReadOnlyList<string> owners, string routerId, int liveRouters, int offset)
    {
        var share = FairShare(owners.Count, liveRouters);
        var mine = new List<int>();
        for (var shard = 0; shard < owners.Count; shard++)
        {
            if (owners[shard] == routerId)
            {
                mine.Add(shard);
            }
        }

        if (mine.Count > share)
        {
            return new BalancePlan(Release: mine[share..], Acquire: []);
        }

        var acquire = new List<int>();
        for (var i = 0; i < owners.Count && mine.Count + acquire.Count < share; i++)
        {
            var shard = (offset + i) % owners.Count;
            if (owners[shard].Length == 0)
            {
                acquire.Add(shard);
            }
        }

        return new BalancePlan(Release: [], Acquire: acquire);
    }
}
