using System.Net;
using System.Security.Cryptography;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>
/// Gateways configured with <c>Auth__Jwt__Authority</c>, taking their keys from a real OpenID
/// Connect provider on a loopback port that rotates its keys, goes down and comes back while the
/// gateways run, or is down when one starts. Over real sockets, reading the gateways' logs.
/// </summary>
[Collection(AuthStackCollection.Name)]
public sealed class IdentityProviderTests(AuthStackFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromSeconds(2);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly RSA _keyA = RSA.Create(2048);
    private readonly RSA _keyB = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);
    private readonly List<ServiceProcess> _gateways = [];
    private OidcProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await OidcProvider.StartAsync(keys: (_keyA, "key-a"));

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _provider.DisposeAsync();
        _keyA.Dispose();
        _keyB.Dispose();
        _stranger.Dispose();
    }

    [Fact]
    public async Task A_key_rotated_at_the_provider_is_used_at_once_and_a_flood_of_unknown_keys_fetches_at_most_once_per_interval()
    {
        var gateway = await StartGatewayAsync("gateway-oidc-rotate");
        var user = Names.Unique("rotated");
        await using (var withA = await AuthStackFixture.ConnectAsync(AuthStackFixture.GatewayUri(gateway), Token(_keyA, "key-a", user)))
        {
            Assert.Equal(user, withA.User);
        }

        // The provider rotates to key B while the gateway runs; the first token signed with it connects.
        _provider.Publish((_keyB, "key-b"));
        var fetchesBefore = _provider.KeySetRequests;
        await using (var withB = await AuthStackFixture.ConnectAsync(AuthStackFixture.GatewayUri(gateway), Token(_keyB, "key-b", user)))
        {
            Assert.Equal(user, withB.User);
            Assert.Equal("gateway-oidc-rotate", withB.Gateway);
        }

        Assert.Equal(fetchesBefore + 1, _provider.KeySetRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gateway, Token(_keyA, "key-a", user)));

        // Twenty tokens naming keys nobody published, all at once: the key set is fetched once,
        // twice if the flood straddles the end of an interval, not twenty times.
        await Task.Delay(KeyRefreshInterval + TimeSpan.FromMilliseconds(500));
        var beforeFlood = _provider.KeySetRequests;
        var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(n => StatusAsync(gateway, Token(_stranger, $"unknown-{n}", user))));

        Assert.All(flood, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.InRange(_provider.KeySetRequests - beforeFlood, 1, 2);
        Assert.True(gateway.IsRunning);
    }

    [Fact]
    public async Task While_the_provider_is_down_known_keys_still_connect_the_gateway_stays_up_and_logs_it()
    {
        var gateway = await StartGatewayAsync("gateway-oidc-down");
        var user = Names.Unique("steady");
        await using (var before = await AuthStackFixture.ConnectAsync(AuthStackFixture.GatewayUri(gateway), Token(_keyA, "key-a", user)))
        {
            Assert.Equal(user, before.User);
        }

        await _provider.StopAsync();
        await Task.Delay(KeyRefreshInterval + TimeSpan.FromMilliseconds(500));

        // A token naming a new key makes the gateway try the provider, which fails.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gateway, Token(_keyB, "key-b", user)));
        await using (var during = await AuthStackFixture.ConnectAsync(AuthStackFixture.GatewayUri(gateway), Token(_keyA, "key-a", user)))
        {
            Assert.Equal(user, during.User);
            var ack = await during.SendAndWaitAsync(new { user }, "while the provider is down");
            Assert.Equal("ack", ack.GetProperty("type").GetString());
        }

        Assert.True(gateway.IsRunning);
        using (var ready = await Http.GetAsync(new Uri(gateway.BaseAddress, "readyz")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var failure = Assert.Single(gateway.Process.Output, line => line.Contains("[4031]", StringComparison.Ordinal));
        Assert.Contains($"Could not fetch signing keys from {_provider.Authority}.well-known/openid-configuration", failure);
        Assert.Contains("The keys fetched before stay in use (1)", failure);

        // Back with key B published beside A: a token signed with B connects, and the log says so.
        _provider.Publish((_keyA, "key-a"), (_keyB, "key-b"));
        await _provider.StartAsync();
        await Task.Delay(KeyRefreshInterval + TimeSpan.FromMilliseconds(500));
        await using (var after = await AuthStackFixture.ConnectAsync(AuthStackFixture.GatewayUri(gateway), Token(_keyB, "key-b", user)))
        {
            Assert.Equal(user, after.User);
        }

        Assert.Contains(gateway.Process.Output, line => line.Contains("[4033]", StringComparison.Ordinal) && line.Contains("works again (failed attempts before: 1)", StringComparison.Ordinal));
        Assert.Contains(gateway.Process.Output, line => line.Contains("[4032]", StringComparison.Ordinal) && line.Contains(": key-a, key-b (2 in all)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gateway_starts_while_its_provider_is_down_refuses_tokens_with_503_and_accepts_them_once_the_provider_is_up()
    {
        await _provider.StopAsync();
        var gateway = await StartGatewayAsync("gateway-oidc-late");
        var user = Names.Unique("early");

        var (status, headers, body) = await UpgradeRefusal.ResponseAsync(
            AuthStackFixture.GatewayUri(gateway),
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {Token(_keyA, "key-a", user)}" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("the gateway cannot check tokens yet; try again", body.Trim());
        Assert.Equal("1", headers.GetValues("Retry-After").Single());
        Assert.Contains(gateway.Process.Output, line => line.Contains("[4030]", StringComparison.Ordinal) && line.Contains("No keys yet, so every token is refused", StringComparison.Ordinal));

        await _provider.StartAsync();
        await Eventually.HoldsAsync(
            async () => await ConnectsAsync(gateway, Token(_keyA, "key-a", user)),
            TimeSpan.FromSeconds(20),
            "a token is accepted once the provider is up");
    }

    private async Task<ServiceProcess> StartGatewayAsync(string id)
    {
        var gateway = await fixture.StartGatewayAsync(id, new Dictionary<string, string?>
        {
            ["Auth__Jwt__Algorithm"] = "RS256",
            ["Auth__Jwt__Authority"] = _provider.Authority,
            ["Auth__Jwt__RequireHttpsMetadata"] = "false",
            ["Auth__Jwt__Audience"] = AuthStackFixture.Audience,
            ["Auth__Jwt__KeyRefreshInterval"] = "00:00:02",
            ["Auth__Jwt__ClockSkew"] = "00:00:00",
        });
        _gateways.Add(gateway);
        return gateway;
    }

    private string Token(RSA key, string keyId, string user)
    {
        var claims = new TestTokens(_provider.Issuer, AuthStackFixture.Audience, TestTokens.NewSecret()).Claims(user);
        return TestTokens.SignRs256(key, claims, keyId);
    }

    private static Task<HttpStatusCode> StatusAsync(ServiceProcess gateway, string token) =>
        UpgradeRefusal.StatusAsync(AuthStackFixture.GatewayUri(gateway), options => options.SetRequestHeader("Authorization", $"Bearer {token}"));

    private static async Task<bool> ConnectsAsync(ServiceProcess gateway, string token)
    {
        try
        {
            await using var client = await AuthStackFixture.ConnectAsync(AuthStackFixture.GatewayUri(gateway), token);
            return true;
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return false;
        }
    }
}
