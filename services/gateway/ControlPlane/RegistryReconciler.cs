using System.Threading.Channels;
using ChatPlatform.Gateway.Connections;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.ControlPlane;

/// <summary>
/// Keeps the registry's entries for this gateway equal to what it holds. The gateway is the
/// source of truth for its own connections; the registry can lose them (Redis restarted empty,
/// or presence removed the gateway while a RabbitMQ outage held its heartbeats back) or keep
/// some too long (a close report lost). When the heartbeat answers disagree twice in a row,
/// or the gateway's Redis subscription comes back after an outage, it sends presence a report
/// of every connection and membership it holds.
/// </summary>
internal sealed class RegistryReconciler(
    IPresenceClient presence,
    LocalConnections connections,
    IConnectionMultiplexer redis,
    GatewayMetrics metrics,
    ILogger<RegistryReconciler> logger) : BackgroundService, IRegistrySync
{
    /// <summary>Lets presence's own connection come back too before the report arrives.</summary>
    private static readonly TimeSpan AfterRedisReturns = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _disagreements;

    /// <summary>Compares a heartbeat answer with what the gateway held when it asked.</summary>
    /// <param name="inFlight">
    /// Registrations presence may have made but not yet confirmed, and close reports not yet
    /// published: the registry may hold up to that many more than the gateway counts.
    /// </param>
    public void Compare(long registryCount, int registeredHere, int inFlight)
    {
        // Short of entries is never in flight: a connection is counted here only once presence has it.
        var disagree = registryCount < registeredHere || registryCount > registeredHere + inFlight;
        if (!disagree)
        {
            _disagreements = 0;
            return;
        }

        // Two answers in a row: one alone may race a close that presence is handling right now.
        if (++_disagreements >= 2)
        {
            _disagreements = 0;
            RequestSync($"the registry holds {registryCount} connections, the gateway {registeredHere}");
        }
    }

    public void RequestSync(string reason) => _requests.Writer.TryWrite(reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += OnRedisRestored;
        try
        {
            await foreach (var reason in _requests.Reader.ReadAllAsync(stoppingToken))
            {
                await SyncAsync(reason, stoppingToken);
            }
        }
        finally
        {
            redis.ConnectionRestored -= OnRedisRestored;
        }
    }

    private void OnRedisRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _ = Task.Delay(AfterRedisReturns).ContinueWith(_ => RequestSync("Redis came back"), TaskScheduler.Default);
        }
    }

    private async Task SyncAsync(string reason, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var (upTo, report) = connections.Report();
            try
            {
                var result = await presence.SyncAsync(upTo, report, stoppingToken);
                metrics.Synced();
                Log.Synced(logger, reason, report.Count, result.Added, result.Removed);
                return;
            }
            catch (PresenceUnavailableException exception)
            {
                Log.SyncFailed(logger, exception.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }
}
