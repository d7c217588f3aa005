extern alias load;

using load::ChatPlatform.Load.Stats;

namespace ChatPlatform.Client.Tests.Load;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Nothing_recorded_has_no_distribution()
    {
        Assert.Null(new LatencyHistogram().Snapshot());
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new long[] { 5, 1, 4, 2, 3 })
        {
            histogram.Record(value);
        }

        Assert.Equal(3, histogram.Percentile(50));
        Assert.Equal(5, histogram.Percentile(90));
        Assert.Equal(1, histogram.Percentile(0));
        Assert.Equal(5, histogram.Percentile(100));
    }

    [Fact]
    public void Percentiles_are_within_one_percent_above_the_nearest_rank_and_never_above_the_maximum()
    {
        var histogram = new LatencyHistogram();
        var values = Enumerable.Range(1, 10_000).Select(i => (long)i * 997).ToArray();
        foreach (var value in values.Reverse())
        {
            histogram.Record(value);
        }

        foreach (var percent in new[] { 1.0, 50, 90, 99, 99.9 })
        {
            var exact = values[(int)Math.Ceiling(percent / 100 * values.Length) - 1];
            var measured = histogram.Percentile(percent);
            Assert.InRange(measured, exact, exact + (exact / 100));
        }

        var stats = histogram.Snapshot()!;
        Assert.Equal(10_000, stats.Count);
        Assert.Equal(values[^1] / 1000.0, stats.Max);
        Assert.True(stats.P50 <= stats.P90 && stats.P90 <= stats.P99 && stats.P99 <= stats.Max);
    }

    [Fact]
    public void One_slow_value_is_the_maximum_and_not_the_median()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 99; i++)
        {
            histogram.Record(2_000);
        }

        histogram.Record(750_000);

        var stats = histogram.Snapshot()!;
        Assert.InRange(stats.P50, 2.0, 2.02);
        Assert.InRange(stats.P99, 2.0, 2.02);
        Assert.Equal(750.0, stats.Max);
    }

    [Fact]
    public void Negative_values_count_as_zero()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        Assert.Equal(0, histogram.Percentile(50));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(127L)]
    [InlineData(128L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(1_000_003L)]
    [InlineData(long.MaxValue)]
    public void Every_value_lies_in_its_bucket(long value)
    {
        var index = LatencyHistogram.IndexOf(value);
        Assert.InRange(value, LatencyHistogram.LowestIn(index), LatencyHistogram.HighestIn(index));
    }
}
