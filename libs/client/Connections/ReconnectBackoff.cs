namespace ChatPlatform.Client.Connections;

/// <summary>
/// Exponential backoff with full jitter: before attempt <c>n</c> (from 0) the delay is drawn
/// uniformly from [0, min(max, initial × 2ⁿ)]. The jitter spreads out the thousands of clients a
/// stopping gateway lets go at once.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    // 2^30 × any sensible initial delay is past any sensible maximum; this keeps the shift in range.
    private const int MaxDoublings = 30;

    /// <summary>The largest delay attempt <paramref name="attempt"/> (from 0) can get.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var doublings = Math.Clamp(attempt, 0, MaxDoublings);
        var ticks = (double)initial.Ticks * (1L << doublings);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Delay(int attempt) => TimeSpan.FromTicks((long)(random.NextDouble() * Ceiling(attempt).Ticks));
}
