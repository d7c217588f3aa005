using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Connections;

/// <summary>Makes a connection's <see cref="FrameRateLimit"/> from <see cref="RateLimitOptions"/>.</summary>
internal sealed class RateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly RateLimitOptions _options = options.Value;

    public FrameRateLimit ForConnection() => new(
        new TokenBucket(_options.Burst, _options.FramesPerSecond, time),
        new TokenBucket(_options.AbuseThreshold, _options.AbuseThreshold / _options.AbuseWindow.TotalSeconds, time));
}
