using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatPlatform.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Our own sources, MassTransit's, the framework's HTTP spans and Redis commands.</summary>
    private const string OwnSources = "ChatPlatform.*";

    private static readonly string[] Meters =
    [
        OwnSources,
        "MassTransit",
        "Microsoft.AspNetCore.Http.Connections",
        "System.Net.Http",
    ];

    /// <summary>
    /// OpenTelemetry over OTLP for the signals whose endpoint is configured (<see cref="TelemetrySignals"/>);
    /// the exporter reads the other <c>OTEL_*</c> settings itself. With no endpoint nothing is
    /// registered at all, so no activity is created and the message path pays nothing.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, ServiceIdentity identity)
    {
        var signals = TelemetrySignals.From(builder.Configuration);
        builder.Services.AddSingleton(signals);
        builder.Services.AddHostedService<TelemetryStatusLog>();
        if (!signals.Any)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the default detectors, win.
            if (string.IsNullOrEmpty(builder.Configuration["OTEL_SERVICE_NAME"]))
            {
                resource.AddService(identity.ServiceName, serviceInstanceId: identity.InstanceId);
            }
        });

        if (signals.Traces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(OwnSources, "MassTransit")
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthCheck(context.Request.Path))
                .AddRedisInstrumentation()
                .AddOtlpExporter());
        }

        if (signals.Metrics)
        {
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter());
        }

        if (signals.Logs)
        {
            // Each record carries the trace and span it was written in.
            telemetry.WithLogging(logging => logging.AddOtlpExporter(), options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });
        }

        return builder;
    }

    private static bool IsHealthCheck(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
