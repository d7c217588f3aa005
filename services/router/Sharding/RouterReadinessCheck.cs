using ChatPlatform.Router.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Router.Sharding;

/// <summary>
/// <c>/readyz</c>: ready once the registry is loaded and lease rounds succeed with an agreed
/// shard count, which is when this router takes, and keeps, its share of the shards.
/// </summary>
internal sealed class RouterReadinessCheck(
    RegistrySynchronizer registry,
    ShardLeaseManager leases,
    IOptions<RouterOptions> options,
    TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registry.FirstSync.IsCompletedSuccessfully)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("registry not loaded yet"));
        }

        if (!leases.ConfigurationAgrees)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("other routers run with a different shard count"));
        }

        if (leases.LastRoundAt == 0 || time.GetElapsedTime(leases.LastRoundAt) > options.Value.LeaseTtl)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("shard leases are not being renewed"));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
