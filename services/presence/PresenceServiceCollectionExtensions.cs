using ChatPlatform.Presence.Consumers;
using ChatPlatform.Presence.Registry;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.ServiceDefaults.Messaging;

namespace ChatPlatform.Presence;

internal static class PresenceServiceCollectionExtensions
{
    public static IServiceCollection AddPresenceServices(this IServiceCollection services)
    {
        services.AddSettings<PresenceOptions>(PresenceOptions.Section);
        services.AddSettings<RecoveryOptions>(RecoveryOptions.Section);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PresenceMetrics>();
        services.AddSingleton<IConnectionRegistry, RedisConnectionRegistry>();
        services.AddSingleton<GatewayReaper>();
        services.AddHostedService(provider => provider.GetRequiredService<GatewayReaper>());

        services.AddChatBus(bus =>
        {
            bus.AddConsumer<RegisterConnectionConsumer>();
            bus.AddConsumer<ConnectionClosedConsumer>();
            bus.AddConsumer<RecordHeartbeatConsumer>();
            bus.AddConsumer<SyncGatewayConnectionsConsumer>();
            bus.AddConsumer<GatewayStoppedConsumer>();
            bus.AddConsumer<JoinRoomConsumer>();
            bus.AddConsumer<LeaveRoomConsumer>();
        });

        return services;
    }
}
