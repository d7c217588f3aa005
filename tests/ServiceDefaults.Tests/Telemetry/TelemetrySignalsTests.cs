using ChatPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;

namespace ChatPlatform.ServiceDefaults.Tests.Telemetry;

public sealed class TelemetrySignalsTests
{
    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318" }, "traces, metrics, logs")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318/v1/traces" }, "traces")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://m/v1/metrics", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://l/v1/logs" }, "metrics, logs")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT=  " }, "")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318", "OTEL_SDK_DISABLED=true" }, "")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318", "OTEL_SDK_DISABLED=TRUE" }, "")]
    [InlineData(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318", "OTEL_SDK_DISABLED=false" }, "traces, metrics, logs")]
    public void Only_signals_with_a_configured_endpoint_are_exported(string[] settings, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => setting.Split('=', 2)).Select(pair => new KeyValuePair<string, string?>(pair[0], pair[1])))
            .Build();

        var signals = TelemetrySignals.From(configuration);

        Assert.Equal(expected, signals.ToString());
        Assert.Equal(expected != "", signals.Any);
    }
}
