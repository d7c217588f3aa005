using ChatPlatform.Load.Stats;

namespace ChatPlatform.Load.Running;

/// <summary>A run's result: its summary, or why there was nothing to run (no client connected).</summary>
internal sealed record LoadOutcome(LoadSummary? Summary, string? Failure);
