using System.Diagnostics.Metrics;
using ChatPlatform.Gateway.Access;
using ChatPlatform.Gateway.Admission;
using ChatPlatform.Gateway.Api;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.History;
using ChatPlatform.Gateway.Sessions;
using ChatPlatform.Gateway.Upgrades;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway;

/// <summary>
/// The gateway's composition: with <c>Program.cs</c>, the only code at the service root that uses
/// the gateway's folders (docs/architecture.md, "Code map").
/// </summary>
internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayServices(this IServiceCollection services)
    {
        services.AddSettings<GatewayOptions>(GatewayOptions.Section);

        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddUpgradeAuthentication();

        services.AddSettings<RateLimitOptions>(RateLimitOptions.Section);

        // The bus first: hosted services stop in reverse order, so it is still up when the
        // gateway reports itself stopped.
        services.AddChatBus();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => GatewayIdentity.Create(
            provider.GetRequiredService<IOptions<GatewayOptions>>().Value.Id ?? Environment.MachineName));
        services.AddSingleton<LocalConnections>();
        services.AddSingleton<PendingRequests>();
        services.AddSingleton(provider =>
        {
            var connections = provider.GetRequiredService<LocalConnections>();
            var pending = provider.GetRequiredService<PendingRequests>();
            return new GatewayMetrics(provider.GetRequiredService<IMeterFactory>(), () => connections.Count, () => pending.Count);
        });
        services.AddSingleton<Acknowledgements>();
        services.AddSingleton<IInboundPublisher, RedisInboundPublisher>();
        services.AddSingleton<RouterRequests>();
        services.AddSingleton<FrameAdmission>();
        services.AddSingleton<AccessRules>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<PresenceQueryHandler>();
        services.AddSingleton<MembershipHandler>();
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        services.AddSingleton<IHistoryReader, RedisHistoryReader>();
        services.AddSingleton<HistoryHandler>();
        services.AddSingleton<IModerationHandler, ModerationHandler>();
        services.AddSingleton<SessionRecovery>();
        services.AddSingleton<ClientCommandHandler>();
        services.AddSingleton<ConnectionSessions>();
        services.AddSingleton<GatewayReadiness>();
        services.AddSingleton<UpgradeGate>();
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

        services.AddServerApi();

        services.AddHealthChecks().AddCheck<GatewayReadiness>("gateway", tags: [HealthTags.Ready]);
        return services;
    }

    /// <summary>
    /// Serves the browser chat page (<c>wwwroot/</c>) at <c>/</c> and the way in it offers,
    /// <c>GET /auth-mode</c>, and maps the WebSocket endpoint, <c>GET /ws</c>; and, on its own
    /// port, the server API (<c>/api/v1</c>, docs/api.md).
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseApiPortSeparation();
        app.MapServerApi();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = BrowserPage.PrepareResponse });
        app.MapGet(AuthMode.Path, AuthMode.Get);
        app.UseWebSockets();
        app.Map("/ws", (HttpContext context, ConnectionEndpoint endpoint) => endpoint.HandleAsync(context));
        return app;
    }
}
