using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Upgrades;

/// <summary>
/// Whether the gateway can take a new connection: it is not shutting down, Redis is connected
/// and its own channel subscribed, and the control-plane bus is connected (so presence can
/// register the connection). The one readiness check: <see cref="UpgradeGate"/> asks it before
/// every upgrade, and <c>/readyz</c> reports it, so load balancers stop sending clients exactly
/// when upgrades would be refused.
/// </summary>
internal sealed class GatewayReadiness(
    GatewayLifecycle lifecycle,
    GatewayChannelListener listener,
    IConnectionMultiplexer redis,
    IBusControl bus) : IHealthCheck
{
    /// <summary>Why the gateway cannot take a connection now, for the client; null when it can.</summary>
    public string? NotReadyReason()
    {
        if (lifecycle.IsStopping)
        {
            return "the gateway is shutting down";
        }

        if (!redis.IsConnected || !listener.IsSubscribed)
        {
            return "the gateway is not connected to Redis";
        }

        return bus.CheckHealth().Status == BusHealthStatus.Healthy ? null : "the gateway is not connected to the control-plane bus";
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(NotReadyReason() is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
}
