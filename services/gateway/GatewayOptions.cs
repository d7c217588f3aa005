using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Gateway;

/// <summary>Configuration section <c>Gateway</c>. The defaults are the documented limits (docs/protocol.md).</summary>
internal sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>
    /// Unique among running gateways; names the gateway's Redis channel. Defaults to the host
    /// name (the pod name on Kubernetes); set it when several gateways share a host.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string? Id { get; set; }

    /// <summary>Largest client message, after reassembling fragments; larger ones close the connection with 1009.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Connections one gateway holds at most; further upgrades are refused with 503.</summary>
    [Range(1, 10_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// Frames one connection may have read but not yet handled, while earlier ones wait on a
    /// router or on presence; more are answered <c>rate_limited</c>. The default holds what the
    /// rate limit lets in during the longest wait (a shard moving between routers).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPendingFrames { get; set; } = 256;

    /// <summary>Bytes of frames one connection may have waiting to be handled; more are answered <c>rate_limited</c>.</summary>
    [Range(65_536, 1_073_741_824)]
    public int MaxPendingBytes { get; set; } = 1024 * 1024;

    /// <summary>Frames queued for one client; a client that lets it fill up is disconnected with 1008.</summary>
    [Range(16, 1_000_000)]
    public int OutboundQueueCapacity { get; set; } = 1024;

    /// <summary>How long a sender waits for the router's answer before getting <c>unavailable</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a message with no router subscribed to its shard is retried before the sender gets
    /// <c>unavailable</c>. Covers a shard moving between routers: at most the router lease TTL plus
    /// its renew interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RouteRetryBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the gateway waits for presence to register a new connection (then the upgrade is
    /// refused with 503) or to change a room membership (then the client gets <c>unavailable</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether clients may send to <c>{"everyone":true}</c>; <c>forbidden</c> when off.</summary>
    public bool AllowBroadcast { get; set; }

    /// <summary>How many rooms one connection may be in at once.</summary>
    [Range(1, 10_000)]
    public int MaxRoomsPerConnection { get; set; } = 100;

    /// <summary>How often the gateway tells presence it is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>WebSocket ping interval; a peer that does not answer within <see cref="KeepAliveTimeout"/> is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long either side may take to complete the close handshake before the socket is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Otherwise every frame above the budget would be refused as "too many waiting".
        if (MaxPendingBytes < MaxFrameBytes)
        {
            yield return new ValidationResult(
                $"Gateway:MaxPendingBytes ({MaxPendingBytes}) must be at least Gateway:MaxFrameBytes ({MaxFrameBytes}).",
                [nameof(MaxPendingBytes), nameof(MaxFrameBytes)]);
        }
    }
}
