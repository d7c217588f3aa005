using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Router.History;

/// <summary>Configuration section <c>History</c>: what routers store of the messages they route (docs/protocol.md, "History and recovery").</summary>
internal sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Store messages to users and rooms. Off: nothing is stored, and a resume can recover nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages kept per stream; the oldest is dropped past it (exactly, not approximately).</summary>
    [Range(1, 100_000)]
    public int MaxLength { get; set; } = 1_000;

    /// <summary>A stream is deleted this long after its last message.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Rooms whose names start with one of these are not stored, e.g. <c>live:</c> for high-volume rooms nobody replays.</summary>
    public string[] DisabledRoomPrefixes { get; set; } = [];
}
