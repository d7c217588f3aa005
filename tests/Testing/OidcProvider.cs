using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatPlatform.Testing;

/// <summary>
/// An OpenID Connect provider on a loopback port, as much of one as a token's recipient sees:
/// the discovery document at <c>/.well-known/openid-configuration</c> and the key set it names.
/// A test publishes keys (and rotates them by publishing others), makes the provider fail or
/// takes it down and brings it back on the same port, and counts the requests it answered.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string KeySetPath = "/jwks";

    private WebApplication? _app;
    private volatile string _keySet;
    private int _discoveryRequests;
    private int _keySetRequests;

    private OidcProvider(string? issuer, (RSA Key, string KeyId)[] keys)
    {
        Port = FreePort.Next();
        Issuer = issuer ?? Authority;
        _keySet = TestTokens.KeySet(keys);
    }

    public int Port { get; }

    /// <summary>What a gateway is configured with: <c>http://127.0.0.1:PORT/</c>.</summary>
    public string Authority => $"http://127.0.0.1:{Port}/";

    /// <summary>The <c>issuer</c> the discovery document names: the authority, unless given.</summary>
    public string Issuer { get; }

    /// <summary>Requests for the discovery document answered (or failed on purpose) so far.</summary>
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>Requests for the key set answered (or failed on purpose) so far: one per fetch of the keys.</summary>
    public int KeySetRequests => Volatile.Read(ref _keySetRequests);

    /// <summary>While set, both documents are answered with HTTP 500: up, but broken.</summary>
    public bool Failing { get; set; }

    public bool IsRunning => _app is not null;

    /// <summary>Starts a provider publishing <paramref name="keys"/>.</summary>
    public static async Task<OidcProvider> StartAsync(string? issuer = null, params (RSA Key, string KeyId)[] keys)
    {
        var provider = new OidcProvider(issuer, keys);
        await provider.StartAsync();
        return provider;
    }

    /// <summary>A provider that is down from the start: <see cref="StartAsync()"/> brings it up.</summary>
    public static OidcProvider Down(string? issuer = null, params (RSA Key, string KeyId)[] keys) => new(issuer, keys);

    /// <summary>Replaces the published keys: keys left out are gone, as after a rotation.</summary>
    public void Publish(params (RSA Key, string KeyId)[] keys) => _keySet = TestTokens.KeySet(keys);

    /// <summary>Brings the provider up on its port (again).</summary>
    public async Task StartAsync()
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapGet(DiscoveryPath, () =>
        {
            Interlocked.Increment(ref _discoveryRequests);
            return Failing
                ? Results.StatusCode(StatusCodes.Status500InternalServerError)
                : Results.Text(
                    JsonSerializer.Serialize(new
                    {
                        issuer = Issuer,
                        jwks_uri = $"http://127.0.0.1:{Port}{KeySetPath}",
                        id_token_signing_alg_values_supported = new[] { "RS256" },
                    }),
                    "application/json");
        });
        app.MapGet(KeySetPath, () =>
        {
            Interlocked.Increment(ref _keySetRequests);
            return Failing
                ? Results.StatusCode(StatusCodes.Status500InternalServerError)
                : Results.Text(_keySet, "application/json");
        });
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Takes the provider down: connections to its port are refused until <see cref="StartAsync()"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
