using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Presence;

/// <summary>Configuration section <c>Presence</c>.</summary>
internal sealed class PresenceOptions
{
    public const string Section = "Presence";

    /// <summary>
    /// A gateway whose heartbeats stop for this long is removed with all its connections. Keep it
    /// several gateway heartbeat intervals long so a few late heartbeats do not remove a live one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan GatewayTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each replica looks for gateways whose time to live ran out.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a closed connection stays marked so a late registration cannot revive it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClosedConnectionTtl { get; set; } = TimeSpan.FromSeconds(60);
}
