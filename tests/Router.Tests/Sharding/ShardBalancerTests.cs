using ChatPlatform.Router.Sharding;

namespace ChatPlatform.Router.Tests.Sharding;

public sealed class ShardBalancerTests
{
    private const string Me = "r1";
    private const string Other = "r2";
    private const string Free = "";

    [Theory]
    [InlineData(16, 1, 16)]
    [InlineData(16, 2, 8)]
    [InlineData(16, 3, 6)]
    [InlineData(10, 4, 3)]
    [InlineData(16, 16, 1)]
    [InlineData(16, 17, 1)]
    [InlineData(1, 5, 1)]
    [InlineData(0, 3, 0)]
    public void The_fair_share_is_the_shard_count_divided_by_the_routers_rounded_up(int shards, int routers, int share)
    {
        Assert.Equal(share, ShardBalancer.FairShare(shards, routers));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void No_live_router_counts_as_one(int routers)
    {
        Assert.Equal(16, ShardBalancer.FairShare(16, routers));
    }

    [Fact]
    public void The_fair_share_is_the_ceiling_for_every_small_input()
    {
        for (var shards = 0; shards <= 64; shards++)
        {
            for (var routers = 1; routers <= 20; routers++)
            {
                Assert.Equal((int)Math.Ceiling(shards / (double)routers), ShardBalancer.FairShare(shards, routers));
            }
        }
    }

    [Fact]
    public void A_router_over_its_share_releases_its_highest_shards_and_takes_none()
    {
        string[] owners = [Me, Me, Free, Other, Me, Me, Me, Other];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 2, offset: 0);

        Assert.Equal([6], plan.Release);
        Assert.Empty(plan.Acquire);
    }

    [Fact]
    public void A_router_releases_everything_beyond_a_smaller_share()
    {
        string[] owners = [Me, Me, Free, Other, Me, Me, Me, Other];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 4, offset: 3);

        Assert.Equal([4, 5, 6], plan.Release);
        Assert.Empty(plan.Acquire);
    }

    [Fact]
    public void A_router_at_its_share_changes_nothing()
    {
        string[] owners = [Me, Free, Other, Me, Free, Other];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 3, offset: 1);

        Assert.Empty(plan.Release);
        Assert.Empty(plan.Acquire);
    }

    [Theory]
    [InlineData(0, new[] { 0, 2, 3 })]
    [InlineData(2, new[] { 2, 3, 5 })]
    [InlineData(4, new[] { 5, 0, 2 })]
    [InlineData(5, new[] { 5, 0, 2 })]
    [InlineData(10, new[] { 5, 0, 2 })]
    public void A_router_under_its_share_takes_free_shards_from_its_offset_wrapping_around(int offset, int[] acquire)
    {
        string[] owners = [Free, Other, Free, Free, Other, Free];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 2, offset);

        Assert.Empty(plan.Release);
        Assert.Equal(acquire, plan.Acquire);
    }

    [Fact]
    public void Shards_already_held_count_towards_the_share()
    {
        string[] owners = [Me, Free, Free, Free, Me, Free, Free, Free];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 2, offset: 6);

        Assert.Equal([6, 7], plan.Acquire);
    }

    [Fact]
    public void A_router_never_takes_more_than_its_share()
    {
        var owners = Enumerable.Repeat(Free, 16).ToArray();

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 4, offset: 13);

        Assert.Equal([13, 14, 15, 0], plan.Acquire);
    }

    [Fact]
    public void A_router_takes_only_free_shards_even_when_that_leaves_it_under_its_share()
    {
        string[] owners = [Other, Other, Free, Other, "r3", Other];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 2, offset: 0);

        Assert.Equal([2], plan.Acquire);
    }

    [Fact]
    public void With_no_live_router_counted_a_router_takes_every_free_shard()
    {
        string[] owners = [Free, Free, Free, Free];

        var plan = ShardBalancer.Plan(owners, Me, liveRouters: 0, offset: 1);

        Assert.Equal([1, 2, 3, 0], plan.Acquire);
    }

    [Fact]
    public void No_shards_means_nothing_to_do()
    {
        var plan = ShardBalancer.Plan([], Me, liveRouters: 3, offset: 0);

        Assert.Empty(plan.Release);
        Assert.Empty(plan.Acquire);
    }

    [Fact]
    public void Plans_for_random_ownerships_keep_every_rule()
    {
        var random = new Random(1234);
        string[] routers = [Me, Other, "r3", "r4", Free, Free];

        for (var round = 0; round < 2_000; round++)
        {
            var owners = Enumerable.Range(0, random.Next(1, 33)).Select(_ => routers[random.Next(routers.Length)]).ToArray();
            var live = random.Next(0, 6);
            var offset = random.Next(0, 100);
            var share = (int)Math.Ceiling(owners.Length / (double)Math.Max(live, 1));
            var mine = Enumerable.Range(0, owners.Length).Where(s => owners[s] == Me).ToList();
            var freeFromOffset = Enumerable.Range(0, owners.Length).Select(i => (offset + i) % owners.Length).Where(s => owners[s] == Free).ToList();

            var plan = ShardBalancer.Plan(owners, Me, live, offset);

            if (mine.Count > share)
            {
                Assert.Equal(mine.Skip(share), plan.Release);
                Assert.Empty(plan.Acquire);
            }
            else
            {
                Assert.Empty(plan.Release);
                Assert.Equal(freeFromOffset.Take(share - mine.Count), plan.Acquire);
            }
        }
    }
}
