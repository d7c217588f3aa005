using System.Diagnostics;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// The presence service in-process, registered as its Program does (service defaults and
/// presence services), against the given Redis and RabbitMQ. Its log goes to a file in
/// the test artifacts folder.
/// </summary>
internal sealed class PresenceHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    private PresenceHost(IHost host, string logPath)
    {
        _host = host;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public IBusControl Bus => _host.Services.GetRequiredService<IBusControl>();

    public IConnectionMultiplexer Redis => _host.Services.GetRequiredService<IConnectionMultiplexer>();

    public bool BusIsHealthy => Bus.CheckHealth().Status == BusHealthStatus.Healthy;

    /// <summary>Starts presence and returns once its bus is connected and its endpoints are ready.</summary>
    /// <param name="settings">Configuration on top of the servers' addresses, e.g. <c>Presence:GatewayTtl</c>.</param>
    public static async Task<PresenceHost> StartAsync(RedisServer redis, RabbitMqServer rabbitMq, string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["RabbitMq:Host"] = rabbitMq.Host,
            ["RabbitMq:Port"] = rabbitMq.Port.ToString(),
            ["RabbitMq:Username"] = RabbitMqServer.Username,
            ["RabbitMq:Password"] = RabbitMqServer.Password,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults("presence");
        builder.Services.AddPresenceServices();

        var logPath = Path.Combine(Repository.ArtifactsDirectory, $"presence-{name}.log");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("ChatPlatform", LogLevel.Debug);
        builder.Logging.AddProvider(new FileLoggerProvider(logPath));

        var host = new PresenceHost(builder.Build(), logPath);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await host._host.StartAsync(timeout.Token);
            await host.WaitUntilBusHealthyAsync(StartTimeout);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the bus reports healthy; returns how long that took.</summary>
    public async Task<TimeSpan> WaitUntilBusHealthyAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        await Eventually.HoldsAsync(
            () => Task.FromResult(BusIsHealthy),
            timeout,
            $"presence's bus is healthy (log: {LogPath})");
        return stopwatch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            try
            {
                await _host.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposal below tears down what did not stop in time.
            }
        }

        _host.Dispose();
    }

    /// <summary>Writes every log entry to one file; enough to read what presence did in a failed test.</summary>
    private sealed class FileLoggerProvider(string path) : ILoggerProvider
    {
        private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

        public void Dispose()
        {
            lock (_gate)
            {
                _writer.Dispose();
            }
        }

        private void Write(string line)
        {
            lock (_gate)
            {
                try
                {
                    _writer.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                    // A late entry after the host was disposed of.
                }
            }
        }

        private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}";
                provider.Write(exception is null ? line : $"{line}\n{exception}");
            }
        }
    }
}
