using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace ChatPlatform.Gateway.Tests.Authentication;

/// <summary>
/// The JwtBearer handler with <c>Auth:Jwt:Authority</c> against a real provider on a loopback
/// port: keys from its discovery document, rotation, refreshes a flood of unknown keys cannot
/// multiply, and a provider that is down, at start or later.
/// </summary>
public sealed class IdentityProviderTests : IAsyncLifetime
{
    private const string Audience = "chat-gateway";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly RSA _keyA = RSA.Create(2048);
    private readonly RSA _keyB = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);
    private OidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await OidcProvider.StartAsync(keys: (_keyA, "key-a"));

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _keyA.Dispose();
        _keyB.Dispose();
        _stranger.Dispose();
    }

    [Fact]
    public async Task A_token_signed_with_a_published_key_is_accepted_and_its_issuer_must_be_the_discovery_documents()
    {
        await using var host = await StartAsync();

        var accepted = await host.AuthenticateAsync(Token(_keyA, "key-a"));

        Assert.Equal("alice", AssertAccepted(accepted).UserId);
        Assert.True(accepted.Identity!.Grants.Authenticated);
        Assert.Equal(1, _provider.DiscoveryRequests);
        Assert.Equal(1, _provider.KeySetRequests);
        Assert.Contains(host.Log.WithId(4032), entry => entry.Message.EndsWith(": key-a (1 in all)", StringComparison.Ordinal));
        AssertRefused(await host.AuthenticateAsync(Token(_keyA, "key-a", issuer: "https://elsewhere.example/")), "SecurityTokenInvalidIssuerException");
    }

    [Fact]
    public async Task A_configured_issuer_is_the_only_one_accepted_even_when_the_discovery_document_names_another()
    {
        await using var provider = await OidcProvider.StartAsync("https://idp.example/realms/chat", (_keyA, "key-a"));
        await using var host = await StartAsync(provider, jwt => jwt.Issuer = "https://configured.example/");

        var configured = await host.AuthenticateAsync(Token(_keyA, "key-a", issuer: "https://configured.example/"));
        var discovered = await host.AuthenticateAsync(Token(_keyA, "key-a", issuer: "https://idp.example/realms/chat"));

        AssertAccepted(configured);
        AssertRefused(discovered, "SecurityTokenInvalidIssuerException");
    }

    [Fact]
    public async Task A_key_rotated_at_the_provider_is_picked_up_by_the_first_token_that_names_it()
    {
        await using var host = await StartAsync();
        AssertAccepted(await host.AuthenticateAsync(Token(_keyA, "key-a")));

        _provider.Publish((_keyB, "key-b"));
        var first = await host.AuthenticateAsync(Token(_keyB, "key-b"));

        // Accepted at once, not after a refusal: a client with a fixed token takes 401 as final.
        AssertAccepted(first);
        Assert.Equal(2, _provider.KeySetRequests);

        // The provider took key A out of its set; the gateway does too.
        AssertRefused(await host.AuthenticateAsync(Token(_keyA, "key-a")), "SecurityTokenSignatureKeyNotFoundException");
    }

    [Fact]
    public async Task A_flood_of_unknown_keys_and_bad_signatures_fetches_the_key_set_at_most_once_per_refresh_interval()
    {
        await using var host = await StartAsync();
        AssertAccepted(await host.AuthenticateAsync(Token(_keyA, "key-a")));
        var before = _provider.KeySetRequests;

        var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(n => host.AuthenticateAsync(
            n % 4 == 0 ? Token(_stranger, "key-a") : Token(_stranger, $"unknown-{n}"))));
        var duringFlood = _provider.KeySetRequests - before;

        Assert.All(flood, result => AssertRefused(result));
        Assert.InRange(duringFlood, 1, 2);

        // The next interval allows one more fetch, and no more.
        await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(200));
        before = _provider.KeySetRequests;
        var second = await Task.WhenAll(Enumerable.Range(0, 20).Select(n => host.AuthenticateAsync(Token(_stranger, $"again-{n}"))));

        Assert.All(second, result => AssertRefused(result, "SecurityTokenSignatureKeyNotFoundException"));
        Assert.InRange(_provider.KeySetRequests - before, 1, 2);
    }

    [Fact]
    public async Task While_the_provider_is_down_known_keys_still_work_and_the_failure_and_the_recovery_are_logged()
    {
        await using var host = await StartAsync();
        AssertAccepted(await host.AuthenticateAsync(Token(_keyA, "key-a")));

        await _provider.StopAsync();
        await Task.Delay(RefreshInterval);
        var unknown = await host.AuthenticateAsync(Token(_keyB, "key-b"));
        var known = await host.AuthenticateAsync(Token(_keyA, "key-a"));

        AssertRefused(unknown, "SecurityTokenSignatureKeyNotFoundException");
        Assert.Equal("alice", AssertAccepted(known).UserId);
        var failure = Assert.Single(host.Log.WithId(4031));
        Assert.Contains("/.well-known/openid-configuration", failure.Message);
        Assert.Contains("The keys fetched before stay in use (1)", failure.Message);

        // Back, with the new key: the next token naming it fetches again and gets in.
        _provider.Publish((_keyA, "key-a"), (_keyB, "key-b"));
        await _provider.StartAsync();
        await Task.Delay(RefreshInterval);

        AssertAccepted(await host.AuthenticateAsync(Token(_keyB, "key-b")));
        Assert.Contains("works again (failed attempts before: 1)", Assert.Single(host.Log.WithId(4033)).Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://configured.example/")]
    public async Task A_gateway_whose_provider_is_down_at_start_refuses_tokens_with_503_until_it_has_keys(string? configuredIssuer)
    {
        await using var provider = OidcProvider.Down(keys: (_keyA, "key-a"));
        await using var host = await StartAsync(provider, jwt => jwt.Issuer = configuredIssuer);
        var issuer = configuredIssuer ?? provider.Issuer;

        var whileDown = await host.AuthenticateAsync(Token(_keyA, "key-a", issuer: issuer));

        Assert.Null(whileDown.Identity);
        Assert.True(whileDown.Status == StatusCodes.Status503ServiceUnavailable, $"{whileDown.Status} {whileDown.Reason}");
        Assert.Equal("the gateway cannot check tokens yet; try again", whileDown.ClientMessage);
        Assert.False(host.IdentityProvider.Configuration!.HasKeys);
        Assert.Contains("No keys yet, so every token is refused", host.Log.WithId(4030).First().Message);

        // A token that is bad whatever the keys is still just unauthorized.
        AssertRefused(await host.AuthenticateAsync(TestTokens.Unsigned(Tokens(provider).Claims("mallory"))));

        await provider.StartAsync();
        await Eventually.HoldsAsync(
            async () => (await host.AuthenticateAsync(Token(_keyA, "key-a", issuer: issuer))).Identity is not null,
            TimeSpan.FromSeconds(15),
            "a token is accepted once the provider is up");
        Assert.True(host.IdentityProvider.Configuration!.HasKeys);
    }

    [Fact]
    public async Task A_provider_that_fails_or_publishes_no_keys_leaves_the_keys_fetched_before_in_use()
    {
        await using var host = await StartAsync();
        AssertAccepted(await host.AuthenticateAsync(Token(_keyA, "key-a")));

        _provider.Failing = true;
        await Task.Delay(RefreshInterval);
        AssertRefused(await host.AuthenticateAsync(Token(_keyB, "key-b")));
        AssertAccepted(await host.AuthenticateAsync(Token(_keyA, "key-a")));

        _provider.Failing = false;
        _provider.Publish();
        await Task.Delay(RefreshInterval * 2);
        AssertRefused(await host.AuthenticateAsync(Token(_keyB, "key-b")));
        AssertAccepted(await host.AuthenticateAsync(Token(_keyA, "key-a")));

        var failures = host.Log.WithId(4031).Select(entry => entry.Message).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("HTTP 500", failures[0]);
        Assert.Contains("The key set holds no signing keys.", failures[1]);
    }

    [Fact]
    public async Task Tokens_forged_with_the_providers_public_keys_or_unsigned_are_refused()
    {
        await using var host = await StartAsync();
        var claims = Tokens(_provider).Claims("mallory", roles: ["admin"]);
        using var http = new HttpClient();
        var keySet = await http.GetStringAsync(new Uri(new Uri(_provider.Authority), OidcProvider.KeySetPath));

        string[] forged =
        [
            TestTokens.SignHs256(Encoding.UTF8.GetBytes(_keyA.ExportSubjectPublicKeyInfoPem()), claims, "key-a"),
            TestTokens.SignHs256(_keyA.ExportSubjectPublicKeyInfo(), claims, "key-a"),
            TestTokens.SignHs256(_keyA.ExportParameters(false).Modulus!, claims, "key-a"),
            TestTokens.SignHs256(Encoding.UTF8.GetBytes(keySet), claims, "key-a"),
            TestTokens.Unsigned(claims),
        ];

        foreach (var token in forged)
        {
            AssertRefused(await host.AuthenticateAsync(token));
        }
    }

    [Theory]
    [InlineData("https://login.example", "https://login.example/.well-known/openid-configuration")]
    [InlineData("https://login.example/", "https://login.example/.well-known/openid-configuration")]
    [InlineData("https://login.example/realms/chat", "https://login.example/realms/chat/.well-known/openid-configuration")]
    public void The_discovery_document_is_under_the_authority(string authority, string address)
    {
        Assert.Equal(address, IdentityProvider.MetadataAddress(authority));
    }

    private Task<UpgradeAuthenticationHost> StartAsync(Action<JwtOptions>? change = null) => StartAsync(_provider, change);

    private static Task<UpgradeAuthenticationHost> StartAsync(OidcProvider provider, Action<JwtOptions>? change = null)
    {
        var jwt = new JwtOptions
        {
            Algorithm = "RS256",
            Authority = provider.Authority,
            RequireHttpsMetadata = false,
            Audience = Audience,
            KeyRefreshInterval = RefreshInterval,
            ClockSkew = TimeSpan.Zero,
        };
        change?.Invoke(jwt);
        return UpgradeAuthenticationHost.StartAsync(new AuthOptions { Jwt = jwt });
    }

    private static TestTokens Tokens(OidcProvider provider) => new(provider.Issuer, Audience, TestTokens.NewSecret());

    private string Token(RSA key, string keyId, string? issuer = null)
    {
        var claims = Tokens(_provider).Claims("alice");
        claims["iss"] = issuer ?? _provider.Issuer;
        return TestTokens.SignRs256(key, claims, keyId);
    }

    private static UpgradeIdentity AssertAccepted(UpgradeAuthentication result)
    {
        Assert.True(result.Identity is not null, $"refused: {result.Status} {result.Reason}");
        return result.Identity;
    }

    private static void AssertRefused(UpgradeAuthentication result, string? reason = null)
    {
        Assert.Null(result.Identity);
        Assert.Equal(StatusCodes.Status401Unauthorized, result.Status);
        Assert.Equal("unauthorized", result.ClientMessage);
        if (reason is not null)
        {
            Assert.Equal(reason, result.Reason);
        }
    }
}
