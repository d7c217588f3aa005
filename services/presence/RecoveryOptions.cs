using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Presence;

/// <summary>Configuration section <c>Recovery</c>: resuming a connection after it ended (docs/protocol.md, "Resuming a connection").</summary>
internal sealed class RecoveryOptions
{
    public const string Section = "Recovery";

    /// <summary>
    /// How long after a connection ended its session can be resumed. Meanwhile direct messages to
    /// its user are stored even with no connection of theirs live, and acked <c>stored</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(120);
}
