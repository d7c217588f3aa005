using Microsoft.Extensions.Configuration;

namespace ChatPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Which OpenTelemetry signals to export, read from the standard <c>OTEL_*</c> settings: a signal
/// is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or its own <c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>
/// is set, and everything is off with <c>OTEL_SDK_DISABLED=true</c>. Nothing is exported, and no
/// connection is opened, to an endpoint the operator did not set.
/// </summary>
internal sealed record TelemetrySignals(bool Traces, bool Metrics, bool Logs)
{
    public bool Any => Traces || Metrics || Logs;

    public static TelemetrySignals From(IConfiguration configuration)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return new TelemetrySignals(false, false, false);
        }

        var all = IsSet(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        return new TelemetrySignals(
            all || IsSet(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]),
            all || IsSet(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]),
            all || IsSet(configuration["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"]));
    }

    public override string ToString() =>
        string.Join(", ", new[] { (Traces, "traces"), (Metrics, "metrics"), (Logs, "logs") }.Where(signal => signal.Item1).Select(signal => signal.Item2));

    private static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);
}
