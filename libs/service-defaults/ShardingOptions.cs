using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.ServiceDefaults;

/// <summary>
/// Configuration section <c>Sharding</c>. Gateways and routers must run with the same count:
/// a gateway publishes on a shard only a router of the same count subscribes to.
/// </summary>
public sealed class ShardingOptions
{
    public const string Section = "Sharding";

    [Range(1, 1024)]
    public int ShardCount { get; set; } = 16;
}
