using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>Records the counter increments of the meters one <see cref="TestMeterFactory"/> created.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricRecorder(TestMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s increments, optionally only those with one tag value.</summary>
    public long Sum(string instrument, string? tag = null, string? value = null) =>
        _measurements
            .Where(m => m.Instrument == instrument)
            .Where(m => tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)))
            .Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
