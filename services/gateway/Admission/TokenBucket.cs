namespace ChatPlatform.Gateway.Admission;

/// <summary>
/// A token bucket: up to <c>capacity</c> tokens, refilled continuously at <c>perSecond</c>.
/// Used by one connection's receive loop at a time, so not thread-safe.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private readonly double _perTick;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double capacity, double perSecond, TimeProvider time)
    {
        _capacity = capacity;
        _perTick = perSecond / time.TimestampFrequency;
        _time = time;
        _tokens = capacity;
        _refilledAt = time.GetTimestamp();
    }

    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (now - _refilledAt) * _perTick);
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
