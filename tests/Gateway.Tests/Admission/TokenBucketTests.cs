using ChatPlatform.Gateway.Admission;
using ChatPlatform.Testing;

namespace ChatPlatform.Gateway.Tests.Admission;

public sealed class TokenBucketTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_full_bucket_gives_its_capacity_at_once_then_nothing()
    {
        var bucket = new TokenBucket(capacity: 5, perSecond: 1, _time);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(bucket.TryTake()));
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void It_refills_at_its_rate_and_never_above_its_capacity()
    {
        var bucket = new TokenBucket(capacity: 3, perSecond: 2, _time);
        while (bucket.TryTake())
        {
        }

        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(bucket.TryTake());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake());

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake()));
    }
}
