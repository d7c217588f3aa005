using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// As the gateway starts: reads the key files (a bad one stops the start, rather than failing
/// every upgrade later) and, with an identity provider, starts fetching its keys. The gateway
/// starts whether or not the provider answers; until keys arrive, tokens are refused.
/// </summary>
internal sealed class UpgradeAuthenticationStartup(IOptionsMonitor<JwtBearerOptions> options, IdentityProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = options.Get(UpgradeAuthenticator.Scheme);
        if (provider.Configuration is { } configuration)
        {
            // Not awaited: a provider that is down must not keep the gateway from starting. The
            // outcome is logged where the keys are fetched.
            _ = configuration.GetConfigurationAsync(CancellationToken.None).ContinueWith(
                fetch => _ = fetch.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
