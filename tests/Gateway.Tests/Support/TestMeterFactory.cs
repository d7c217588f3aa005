using System.Diagnostics.Metrics;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>Creates meters scoped to one test, so a <see cref="MetricRecorder"/> sees only that test's measurements.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        options.Scope = this;
        var meter = new Meter(options);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(meter => meter.Dispose());
            _meters.Clear();
        }
    }
}
