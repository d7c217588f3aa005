using ChatPlatform.Router.Sharding;
using ChatPlatform.Testing;

namespace ChatPlatform.Router.Tests.Sharding;

public sealed class ShardOwnershipTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly ShardOwnership _ownership;

    public ShardOwnershipTests()
    {
        _ownership = new ShardOwnership(4, _time);
    }

    [Fact]
    public void No_shard_is_owned_at_first()
    {
        Assert.Equal(4, _ownership.ShardCount);
        Assert.Equal(0, _ownership.OwnedCount);
        Assert.All(Enumerable.Range(0, 4), shard => Assert.False(_ownership.IsOwned(shard)));
    }

    [Fact]
    public void A_shard_is_owned_until_one_ttl_after_the_lease_was_requested()
    {
        _ownership.Extend(1, _time.GetTimestamp(), Ttl);

        _time.Advance(Ttl);
        _time.AdvanceTimestamp(-1);
        Assert.True(_ownership.IsOwned(1));

        _time.AdvanceTimestamp(1);
        Assert.False(_ownership.IsOwned(1));
    }

    [Fact]
    public void The_deadline_counts_from_the_request_not_from_the_reply()
    {
        var requestedAt = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(3));

        _ownership.Extend(0, requestedAt, Ttl);

        _time.Advance(TimeSpan.FromSeconds(2));
        _time.AdvanceTimestamp(-1);
        Assert.True(_ownership.IsOwned(0));
        _time.AdvanceTimestamp(1);
        Assert.False(_ownership.IsOwned(0));
    }

    [Fact]
    public void A_reply_that_comes_after_the_lease_would_have_lapsed_grants_nothing()
    {
        var requestedAt = _time.GetTimestamp();
        _time.Advance(Ttl + TimeSpan.FromSeconds(1));

        _ownership.Extend(0, requestedAt, Ttl);

        Assert.False(_ownership.IsOwned(0));
        Assert.Equal(0, _ownership.OwnedCount);
    }

    [Fact]
    public void A_renewal_moves_the_deadline()
    {
        _ownership.Extend(2, _time.GetTimestamp(), Ttl);
        _time.Advance(TimeSpan.FromSeconds(4));

        _ownership.Extend(2, _time.GetTimestamp(), Ttl);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(_ownership.IsOwned(2));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_ownership.IsOwned(2));
    }

    [Fact]
    public void A_revoked_shard_is_not_owned_at_once()
    {
        _ownership.Extend(3, _time.GetTimestamp(), Ttl);

        _ownership.Revoke(3);

        Assert.False(_ownership.IsOwned(3));
        Assert.Equal(0, _ownership.OwnedCount);
    }

    [Fact]
    public void Each_shard_has_its_own_deadline()
    {
        _ownership.Extend(0, _time.GetTimestamp(), TimeSpan.FromSeconds(1));
        _ownership.Extend(2, _time.GetTimestamp(), TimeSpan.FromSeconds(3));
        _ownership.Extend(3, _time.GetTimestamp(), TimeSpan.FromSeconds(3));
        _ownership.Revoke(3);
        Assert.Equal(2, _ownership.OwnedCount);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, _ownership.OwnedCount);
        Assert.False(_ownership.IsOwned(0));
        Assert.True(_ownership.IsOwned(2));
        Assert.False(_ownership.IsOwned(1));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, _ownership.OwnedCount);
    }

    [Fact]
    public void A_fractional_ttl_is_honoured_to_the_timestamp_unit()
    {
        _ownership.Extend(0, _time.GetTimestamp(), TimeSpan.FromMilliseconds(1_500));

        _time.AdvanceTimestamp((long)(1.5 * ManualTimeProvider.Frequency) - 1);
        Assert.True(_ownership.IsOwned(0));
        _time.AdvanceTimestamp(1);
        Assert.False(_ownership.IsOwned(0));
    }

    [Fact]
    public void Revoking_all_suspends_every_owned_shard_until_it_is_extended_again()
    {
        _ownership.Extend(0, _time.GetTimestamp(), Ttl);
        _ownership.Extend(2, _time.GetTimestamp(), Ttl);
        _ownership.Extend(3, _time.GetTimestamp() - (long)(6 * ManualTimeProvider.Frequency), Ttl);

        var revoked = _ownership.RevokeAll();

        Assert.Equal(2, revoked);
        Assert.Equal(0, _ownership.OwnedCount);
        _ownership.Extend(2, _time.GetTimestamp(), Ttl);
        Assert.True(_ownership.IsOwned(2));
        Assert.False(_ownership.IsOwned(0));
        Assert.Equal(1, _ownership.RevokeAll());
    }
}
