namespace ChatPlatform.Load.Stats;

/// <summary>A latency distribution in milliseconds: how many were measured, and where they lie.</summary>
internal sealed record LatencyStats(long Count, double P50, double P90, double P99, double Max);
