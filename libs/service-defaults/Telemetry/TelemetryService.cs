using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Exports traces and metrics over OTLP when an endpoint is configured through the standard
/// <c>OTEL_*</c> variables, and does nothing otherwise. Built by hand because the hosting
/// extensions package is not used; the exporter reads the rest of the <c>OTEL_*</c> settings.
/// </summary>
internal sealed class TelemetryService(IConfiguration configuration, ServiceIdentity identity, ILogger<TelemetryService> logger)
    : IHostedService, IDisposable
{
    /// <summary>Our own sources, MassTransit's, and the framework's HTTP spans.</summary>
    private static readonly string[] Sources = ["ChatPlatform.*", "MassTransit", "Microsoft.AspNetCore"];

    private static readonly string[] Meters =
    [
        "ChatPlatform.*",
        "MassTransit",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "System.Runtime",
        "System.Net.Http",
    ];

    private TracerProvider? _tracerProvider;
    private MeterProvider? _meterProvider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]
            ?? configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
            ?? configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
        if (string.IsNullOrEmpty(endpoint) || string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            Log.TelemetryOff(logger);
            return Task.CompletedTask;
        }

        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(ConfigureResource)
            .AddSource(Sources)
            .AddOtlpExporter()
            .Build();
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(ConfigureResource)
            .AddMeter(Meters)
            .AddOtlpExporter()
            .Build();
        Log.TelemetryOn(logger, endpoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tracerProvider?.ForceFlush(2000);
        _meterProvider?.ForceFlush(2000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracerProvider?.Dispose();
        _meterProvider?.Dispose();
    }

    private void ConfigureResource(ResourceBuilder resource)
    {
        // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the default detectors, win.
        if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
        {
            resource.AddService(identity.ServiceName, serviceInstanceId: identity.InstanceId);
        }
    }
}
