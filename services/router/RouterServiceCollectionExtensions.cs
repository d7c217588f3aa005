using System.Diagnostics.Metrics;
using ChatPlatform.Router.History;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Routing;
using ChatPlatform.Router.Sharding;
using ChatPlatform.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Router;

internal static class RouterServiceCollectionExtensions
{
    public static IServiceCollection AddRouterServices(this IServiceCollection services)
    {
        services.AddSettings<RouterOptions>(RouterOptions.Section)
            .Validate(options => options.LeaseRenewInterval * 2 <= options.LeaseTtl, "Router:LeaseRenewInterval must be at most half of Router:LeaseTtl.");

        services.AddSettings<HistoryOptions>(HistoryOptions.Section)
            .Validate(options => options.DisabledRoomPrefixes.All(prefix => prefix.Length > 0), "History:DisabledRoomPrefixes must not hold an empty prefix (it would turn history off for every room; use History:Enabled).");
        services.AddSingleton<HistoryPolicy>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new RouterIdentity(
            provider.GetRequiredService<IOptions<RouterOptions>>().Value.Id
            ?? $"{Environment.MachineName}-{provider.GetRequiredService<ServiceIdentity>().InstanceId}"));
        services.AddSingleton(provider => new ShardOwnership(
            provider.GetRequiredService<IOptions<ShardingOptions>>().Value.ShardCount,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RegistryCache>();
        services.AddSingleton(provider =>
        {
            var ownership = provider.GetRequiredService<ShardOwnership>();
            var registry = provider.GetRequiredService<RegistryCache>();
            return new RouterMetrics(
                provider.GetRequiredService<IMeterFactory>(),
                ownedShards: () => ownership.OwnedCount,
                registryConnections: () => registry.ConnectionCount,
                registryRooms: () => registry.RoomCount);
        });
        services.AddSingleton<IDeliveryPublisher, RedisDeliveryPublisher>();
        services.AddSingleton<MessageRouter>();
        services.AddSingleton<IShardLeaseListener, ShardSubscriptions>();

        // Stopped in reverse order: shards are released while the registry is still followed.
        services.AddSingleton<RegistrySynchronizer>();
        services.AddHostedService(provider => provider.GetRequiredService<RegistrySynchronizer>());
        services.AddSingleton<ShardLeaseManager>();
        services.AddHostedService(provider => provider.GetRequiredService<ShardLeaseManager>());

        services.AddHealthChecks().AddCheck<RouterReadinessCheck>("router", tags: [HealthTags.Ready]);
        return services;
    }
}
