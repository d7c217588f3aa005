using ChatPlatform.Gateway.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>
/// The gateway's upgrade authentication as the gateway registers it (the JwtBearer handler, its
/// events, the identity provider's keys), with the given settings and a log that tests can read;
/// upgrade requests are handed to it as the <c>/ws</c> endpoint does.
/// </summary>
internal sealed class UpgradeAuthenticationHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hostedServices;

    private UpgradeAuthenticationHost(AuthOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(Options.Create(options));
        services.AddUpgradeAuthentication();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _hostedServices = [.. _services.GetServices<IHostedService>()];
    }

    public RecordingLoggerProvider Log { get; } = new();

    public IdentityProvider IdentityProvider => _services.GetRequiredService<IdentityProvider>();

    /// <summary>Built and started as the gateway starts it (key files read, the provider's keys asked for).</summary>
    public static async Task<UpgradeAuthenticationHost> StartAsync(AuthOptions options)
    {
        var host = new UpgradeAuthenticationHost(options);
        foreach (var service in host._hostedServices)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return host;
    }

    public async Task<UpgradeAuthentication> AuthenticateAsync(string? bearer = null, string? query = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5000);
        context.Request.Path = "/ws";
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        }

        if (bearer is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {bearer}";
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        var result = await _services.GetRequiredService<UpgradeAuthenticator>().AuthenticateAsync(context);

        // The handler never answers for the endpoint: no status, header or body of its own.
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hostedServices.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
