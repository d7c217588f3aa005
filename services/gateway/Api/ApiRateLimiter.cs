using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// A token bucket per API key on this gateway: <c>Api:RequestsPerSecond</c>, up to
/// <c>Api:Burst</c> at once. A request over it is refused, never queued.
/// </summary>
internal sealed class ApiRateLimiter(IOptions<ApiOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(keyName =>
        RateLimitPartition.GetTokenBucketLimiter(keyName, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.Burst,
            TokensPerPeriod = options.Value.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            AutoReplenishment = true,
            QueueLimit = 0,
        }));

    /// <returns>Whether the key may make a request now; if not, when to try again.</returns>
    public bool TryAcquire(string keyName, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(keyName);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
