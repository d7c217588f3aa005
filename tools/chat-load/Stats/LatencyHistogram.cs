using System.Numerics;

namespace ChatPlatform.Load.Stats;

/// <summary>
/// Latencies in microseconds, counted in log-linear buckets (128 to each power of two), so a run of
/// millions of deliveries takes the same 60 KB as a run of ten. A percentile is the upper edge of
/// its bucket, at most 1/128 (0.8 %) above the true value, and never above the largest value
/// recorded, which is kept exactly, as are the count and the smallest. Thread-safe.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;

    private readonly long[] _counts = new long[(64 - SubBucketBits + 1) * SubBuckets];
    private readonly Lock _gate = new();
    private long _count;
    private long _min = long.MaxValue;
    private long _max;

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Counts one latency; a negative one (a clock oddity) counts as 0.</summary>
    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        var index = IndexOf(value);
        lock (_gate)
        {
            _counts[index]++;
            _count++;
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }
    }

    /// <summary>p50, p90, p99 and the maximum, in milliseconds; null when nothing was recorded.</summary>
    public LatencyStats? Snapshot()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            return new LatencyStats(_count, Milliseconds(PercentileLocked(50)), Milliseconds(PercentileLocked(90)), Milliseconds(PercentileLocked(99)), Milliseconds(_max));
        }
    }

    /// <summary>The value at or below which <paramref name="percent"/> % of the recorded values lie, in microseconds.</summary>
    public long Percentile(double percent)
    {
        lock (_gate)
        {
            return _count == 0 ? 0 : PercentileLocked(percent);
        }
    }

    private long PercentileLocked(double percent)
    {
        // The nearest-rank method: the smallest value with at least this share of values at or below it.
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * _count));
        long seen = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            seen += _counts[index];
            if (seen >= rank)
            {
                return Math.Clamp(HighestIn(index), _min, _max);
            }
        }

        return _max;
    }

    private static double Milliseconds(long microseconds) => microseconds / 1000.0;

    internal static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        // value lies in [2^top, 2^(top+1)); its bucket is one of 128 equal parts of that range.
        var top = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = top - SubBucketBits;
        return ((shift + 1) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    internal static long LowestIn(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return index;
        }

        var shift = (index / SubBuckets) - 1;
        return (long)((index % SubBuckets) + SubBuckets) << shift;
    }

    internal static long HighestIn(int index) => index < 2 * SubBuckets ? index : LowestIn(index) + (1L << ((index / SubBuckets) - 1)) - 1;
}
