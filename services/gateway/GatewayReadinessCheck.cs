using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatPlatform.Gateway;

/// <summary>Ready while subscribed to its own channel and not shutting down; Redis and the bus have their own checks.</summary>
internal sealed class GatewayReadinessCheck(GatewayChannelListener listener, GatewayLifecycle lifecycle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifecycle.IsStopping ? HealthCheckResult.Unhealthy("shutting down")
            : !listener.IsSubscribed ? HealthCheckResult.Unhealthy("not subscribed to the gateway channel")
            : HealthCheckResult.Healthy());
}
