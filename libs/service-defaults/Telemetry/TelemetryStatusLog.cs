using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatPlatform.ServiceDefaults.Telemetry;

/// <summary>Says at start-up what is exported where, so an operator sees it in the first lines of the log.</summary>
internal sealed class TelemetryStatusLog(TelemetrySignals signals, IConfiguration configuration, ILogger<TelemetryStatusLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (signals.Any)
        {
            Log.TelemetryOn(logger, signals.ToString(), configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "per-signal endpoints");
        }
        else
        {
            Log.TelemetryOff(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
