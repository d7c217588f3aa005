using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Gateway.Admission;

/// <summary>
/// Configuration section <c>Gateway:RateLimit</c>: how many frames one connection may send.
/// A frame over the limit is answered <c>rate_limited</c> and not acted on; a connection that
/// keeps going is closed with 1008.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "Gateway:RateLimit";

    /// <summary>Frames a second a connection may send on average.</summary>
    [Range(0.1, 1_000_000)]
    public double FramesPerSecond { get; set; } = 20;

    /// <summary>Frames a connection may send at once after a quiet spell.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 50;

    /// <summary>
    /// Refused frames that close the connection when they come within <see cref="AbuseWindow"/>
    /// (a bucket of this size refilling over the window).
    /// </summary>
    [Range(1, 1_000_000)]
    public int AbuseThreshold { get; set; } = 50;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AbuseWindow { get; set; } = TimeSpan.FromSeconds(10);
}
