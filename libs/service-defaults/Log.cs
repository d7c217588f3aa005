using Microsoft.Extensions.Logging;

namespace ChatPlatform.ServiceDefaults;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Redis connection to {Endpoint} failed ({FailureType}); reconnecting")]
    public static partial void RedisConnectionFailed(ILogger logger, string? endpoint, string failureType, Exception? exception);

    [LoggerMessage(1002, LogLevel.Information, "Redis connection to {Endpoint} restored")]
    public static partial void RedisConnectionRestored(ILogger logger, string? endpoint);

    [LoggerMessage(1003, LogLevel.Warning, "Redis is not reachable at start ({Configuration}); starting anyway and retrying in the background")]
    public static partial void RedisNotConnectedAtStart(ILogger logger, string configuration);

    [LoggerMessage(1010, LogLevel.Information, "OpenTelemetry export is off: no OTEL_EXPORTER_OTLP_ENDPOINT")]
    public static partial void TelemetryOff(ILogger logger);

    [LoggerMessage(1011, LogLevel.Information, "Exporting {Signals} over OTLP to {Endpoint}")]
    public static partial void TelemetryOn(ILogger logger, string signals, string endpoint);
}
