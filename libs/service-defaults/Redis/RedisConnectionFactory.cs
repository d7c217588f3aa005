using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Redis;

/// <summary>Creates the process's single <see cref="ConnectionMultiplexer"/>.</summary>
internal static class RedisConnectionFactory
{
    public static IConnectionMultiplexer Connect(IOptions<RedisOptions> options, ServiceIdentity identity, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Value.ConnectionString);

        // Start even when Redis is down: the multiplexer keeps reconnecting (and resubscribing)
        // in the background while readiness reports the outage.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= $"{identity.ServiceName}-{identity.InstanceId}";
        configuration.KeepAlive = 5;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);

        // RESP2 keeps pub/sub on a connection of its own, so a burst of deliveries never queues
        // ahead of a lease renewal's reply (docs/architecture.md, "Redis").
        configuration.Protocol = RedisProtocol.Resp2;

        // While disconnected, commands fail at once instead of waiting in a backlog for up to the
        // timeout: a sender hears "unavailable" now, and a late lease renewal is never replayed.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;

        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        multiplexer.ConnectionFailed += (_, e) => Log.RedisConnectionFailed(logger, e.EndPoint?.ToString(), e.FailureType.ToString(), e.Exception);
        multiplexer.ConnectionRestored += (_, e) => Log.RedisConnectionRestored(logger, e.EndPoint?.ToString());
        if (!multiplexer.IsConnected)
        {
            Log.RedisNotConnectedAtStart(logger, configuration.ToString(includePassword: false));
        }

        return multiplexer;
    }
}
