using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Router;

/// <summary>Configuration section <c>Router</c>.</summary>
internal sealed class RouterOptions
{
    public const string Section = "Router";

    /// <summary>Unique among running routers; defaults to the host name and a random suffix.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string? Id { get; set; }

    /// <summary>
    /// A shard lease not renewed for this long expires and another router takes the shard, so a
    /// stopped router's share moves within <see cref="LeaseTtl"/> + <see cref="LeaseRenewInterval"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often leases are renewed and the shards rebalanced among live routers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(1);
}
