using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Connections;

/// <summary>
/// On shutdown, stops accepting connections and closes every open one with 1001 (going away)
/// after its queued frames, before the server waits for the connections to finish.
/// </summary>
internal sealed class GatewayLifecycle(IHostApplicationLifetime lifetime, LocalConnections connections, ILogger<GatewayLifecycle> logger) : IHostedService
{
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CloseAll()
    {
        _stopping = true;
        var open = connections.All;
        Log.ClosingConnections(logger, open.Count);
        foreach (var connection in open)
        {
            connection.Close(CloseCodes.ShuttingDown, CloseCodes.ShuttingDownReason, drain: true);
        }
    }
}
