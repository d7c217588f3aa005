using System.Security.Cryptography;
using ChatPlatform.ServiceDefaults.Redis;
using ChatPlatform.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every service sets up the same way: console logging, OpenTelemetry (traces, metrics
    /// and logs over OTLP when an endpoint is configured), the <c>/healthz</c> and
    /// <c>/readyz</c> checks, the process's one Redis connection, and the options every service
    /// shares.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        var identity = new ServiceIdentity(serviceName, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        builder.Services.AddSingleton(identity);

        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });

        builder.AddTelemetry(identity);

        builder.Services.AddSettings<RedisOptions>(RedisOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        builder.Services.AddSingleton(provider => RedisConnectionFactory.Connect(
            provider.GetRequiredService<IOptions<RedisOptions>>(),
            identity,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("ChatPlatform.Redis")));

        builder.Services.AddSettings<ShardingOptions>(ShardingOptions.Section);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live])
            .AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>
    /// Runs the service until it stops, and returns its exit code. Settings that fail validation
    /// at start end it with exit code 1 and one line on standard error that names them, where an
    /// unhandled exception would abort the process (exit 134, and a core dump where enabled).
    /// </summary>
    public static int RunService(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (OptionsValidationException exception)
        {
            Console.Error.WriteLine($"Invalid settings ({exception.OptionsType.Name}): {string.Join(" ", exception.Failures)}");
            return 1;
        }
    }

    /// <summary>Maps <c>/healthz</c> (the process is alive) and <c>/readyz</c> (it can do its work).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}
