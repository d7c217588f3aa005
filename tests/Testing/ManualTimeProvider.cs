namespace ChatPlatform.Testing;

/// <summary>
/// A clock that moves only when a test moves it. Its timestamp frequency differs from
/// <see cref="TimeSpan.TicksPerSecond"/> so code that confuses timestamps with ticks is caught.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    public const long Frequency = 1_000_000_000;

    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Far from zero, so a deadline left at its default can never look like a live one.
    private long _timestamp = 3_600 * Frequency;

    public override long TimestampFrequency => Frequency;

    public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

    public override DateTimeOffset GetUtcNow() => Epoch + TimeSpan.FromSeconds((double)GetTimestamp() / Frequency);

    public void Advance(TimeSpan by) => AdvanceTimestamp((long)(by.TotalSeconds * Frequency));

    /// <summary>Moves by the smallest step the clock has.</summary>
    public void AdvanceTimestamp(long units) => Interlocked.Add(ref _timestamp, units);
}
