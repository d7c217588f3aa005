using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Authentication;

internal static class AuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// Who may open a connection: the JwtBearer handler for tokens, the identity provider's keys,
    /// development users and the origin policy. Expects <see cref="AuthOptions"/> to be registered.
    /// The handler runs only when <see cref="UpgradeAuthenticator"/> asks it to, for an upgrade.
    /// </summary>
    public static IServiceCollection AddUpgradeAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddAuthentication().AddJwtBearer(UpgradeAuthenticator.Scheme);
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureUpgradeJwtBearer>();
        services.AddSingleton<UpgradeJwtBearerEvents>();
        services.AddSingleton<IdentityProvider>();
        services.AddHostedService<UpgradeAuthenticationStartup>();
        services.AddSingleton<UpgradeAuthenticator>();
        services.AddSingleton<OriginPolicy>();
        return services;
    }
}
