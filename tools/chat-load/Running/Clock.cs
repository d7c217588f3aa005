using System.Diagnostics;

namespace ChatPlatform.Load.Running;

/// <summary>
/// Microseconds on the monotonic clock since the process started. Senders and receivers are in
/// this one process, so a send time carried in a body can be subtracted from a receive time
/// without any clock skew, and wall-clock adjustments do not show up as latency.
/// </summary>
internal static class Clock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    public static long NowMicroseconds() => (long)Stopwatch.GetElapsedTime(Origin).TotalMicroseconds;
}
