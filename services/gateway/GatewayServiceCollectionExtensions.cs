using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway;

internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayServices(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddUpgradeAuthentication();

        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The bus first: hosted services stop in reverse order, so it is still up when the
        // gateway reports itself stopped.
        services.AddChatBus();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => GatewayIdentity.Create(
            provider.GetRequiredService<IOptions<GatewayOptions>>().Value.Id ?? Environment.MachineName));
        services.AddSingleton<LocalConnections>();
        services.AddSingleton<PendingRequests>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<Acknowledgements>();
        services.AddSingleton<IInboundPublisher, RedisInboundPublisher>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<FrameAdmission>();
        services.AddSingleton<ClientCommandHandler>();
        services.AddSingleton<ConnectionEndpoint>();

        services.AddSingleton<GatewayChannelListener>();
        services.AddHostedService(provider => provider.GetRequiredService<GatewayChannelListener>());
        services.AddSingleton<BusPresenceClient>();
        services.AddSingleton<IPresenceClient>(provider => provider.GetRequiredService<BusPresenceClient>());
        services.AddHostedService(provider => provider.GetRequiredService<BusPresenceClient>());
        services.AddSingleton<RegistryReconciler>();
        services.AddSingleton<IRegistrySync>(provider => provider.GetRequiredService<RegistryReconciler>());
        services.AddHostedService(provider => provider.GetRequiredService<RegistryReconciler>());
        services.AddHostedService<GatewayHeartbeat>();
        services.AddHostedService<AckTimeoutSweeper>();
        services.AddSingleton<GatewayLifecycle>();
        services.AddHostedService(provider => provider.GetRequiredService<GatewayLifecycle>());

        services.AddHealthChecks().AddCheck<GatewayReadinessCheck>("gateway", tags: [HealthTags.Ready]);
        return services;
    }

    /// <summary>
    /// Serves the browser chat page (<c>wwwroot/</c>) at <c>/</c> and the way in it offers,
    /// <c>GET /auth-mode</c>, and maps the WebSocket endpoint, <c>GET /ws</c>.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = BrowserPage.PrepareResponse });
        app.MapGet(AuthMode.Path, AuthMode.Get);
        app.UseWebSockets();
        app.Map("/ws", (HttpContext context, ConnectionEndpoint endpoint) => endpoint.HandleAsync(context));
        return app;
    }
}
