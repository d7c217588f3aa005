namespace ChatPlatform.Gateway.Admission;

/// <summary>One connection's rate limit: frames it may send, and refusals it may collect before it is closed.</summary>
internal sealed class FrameRateLimit(TokenBucket frames, TokenBucket refusals)
{
    public RateDecision Check() =>
        frames.TryTake() ? RateDecision.Allow
        : refusals.TryTake() ? RateDecision.Refuse
        : RateDecision.Close;
}
