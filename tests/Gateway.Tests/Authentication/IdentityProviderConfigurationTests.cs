using System.Security.Cryptography;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.IdentityModel.Protocols;

namespace ChatPlatform.Gateway.Tests.Authentication;

/// <summary>
/// When the provider's configuration is fetched, on a clock the test moves, against a real
/// provider on a loopback port: once at first, again when a token asks (at most once per
/// refresh interval), in the background when it is due, and with growing waits while it fails.
/// </summary>
public sealed class IdentityProviderConfigurationTests : IAsyncLifetime
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(1);

    private readonly RSA _keyA = RSA.Create(2048);
    private readonly RSA _keyB = RSA.Create(2048);
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingLoggerProvider _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private OidcProvider _provider = null!;
    private IdentityProviderConfiguration _configuration = null!;

    public async Task InitializeAsync()
    {
        _provider = await OidcProvider.StartAsync(keys: (_keyA, "key-a"));
        _configuration = new IdentityProviderConfiguration(
            IdentityProvider.MetadataAddress(_provider.Authority),
            new HttpDocumentRetriever(_http) { RequireHttps = false },
            RefreshInterval,
            AutomaticRefreshInterval,
            _time,
            _log.CreateLogger("test"));
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _http.Dispose();
        _keyA.Dispose();
        _keyB.Dispose();
    }

    [Fact]
    public async Task The_configuration_is_fetched_once_and_then_reused()
    {
        var first = await _configuration.GetConfigurationAsync(CancellationToken.None);
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _configuration.GetConfigurationAsync(CancellationToken.None)));

        Assert.Equal(_provider.Issuer, first.Issuer);
        Assert.Equal("key-a", Assert.Single(first.SigningKeys).KeyId);
        Assert.All(again, configuration => Assert.Same(first, configuration));
        Assert.Equal(1, _provider.DiscoveryRequests);
        Assert.Equal(1, _provider.KeySetRequests);
        Assert.True(_configuration.HasKeys);
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_fetch()
    {
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _configuration.GetConfigurationAsync(CancellationToken.None)));

        Assert.All(all, configuration => Assert.Same(all[0], configuration));
        Assert.Equal(1, _provider.KeySetRequests);
    }

    [Fact]
    public async Task A_requested_refresh_is_waited_for_so_the_token_that_asked_sees_the_new_keys()
    {
        await _configuration.GetConfigurationAsync(CancellationToken.None);
        _provider.Publish((_keyB, "key-b"));

        _configuration.RequestRefresh();
        var refreshed = await _configuration.GetConfigurationAsync(CancellationToken.None);

        Assert.Equal("key-b", Assert.Single(refreshed.SigningKeys).KeyId);
        Assert.Equal(2, _provider.KeySetRequests);
    }

    [Fact]
    public async Task Refreshes_tokens_ask_for_happen_at_most_once_per_refresh_interval()
    {
        await _configuration.GetConfigurationAsync(CancellationToken.None);

        for (var i = 0; i < 50; i++)
        {
            _configuration.RequestRefresh();
            await _configuration.GetConfigurationAsync(CancellationToken.None);
        }

        Assert.Equal(2, _provider.KeySetRequests);

        _time.Advance(RefreshInterval - TimeSpan.FromMilliseconds(1));
        _configuration.RequestRefresh();
        await _configuration.GetConfigurationAsync(CancellationToken.None);
        Assert.Equal(2, _provider.KeySetRequests);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        for (var i = 0; i < 50; i++)
        {
            _configuration.RequestRefresh();
            await _configuration.GetConfigurationAsync(CancellationToken.None);
        }

        Assert.Equal(3, _provider.KeySetRequests);
    }

    [Fact]
    public async Task A_due_automatic_refresh_happens_in_the_background_while_the_current_keys_are_used()
    {
        var first = await _configuration.GetConfigurationAsync(CancellationToken.None);
        _provider.Publish((_keyA, "key-a"), (_keyB, "key-b"));

        _time.Advance(AutomaticRefreshInterval - TimeSpan.FromSeconds(1));
        Assert.Same(first, await _configuration.GetConfigurationAsync(CancellationToken.None));
        Assert.Equal(1, _provider.KeySetRequests);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(first, await _configuration.GetConfigurationAsync(CancellationToken.None));
        await Eventually.HoldsAsync(
            async () => (await _configuration.GetConfigurationAsync(CancellationToken.None)).SigningKeys.Count == 2,
            TimeSpan.FromSeconds(10),
            "the background refresh brings key B");
        Assert.Equal(2, _provider.KeySetRequests);
    }

    [Fact]
    public async Task Without_keys_yet_a_failing_provider_is_asked_again_after_1_2_4_seconds_and_then_every_refresh_interval()
    {
        _provider.Failing = true;
        var attemptsAt = new List<int>();

        // One call a second for 40 seconds; each that may fetch does, the others fail at once.
        for (var second = 0; second < 40; second++)
        {
            var before = _provider.DiscoveryRequests;
            await Assert.ThrowsAnyAsync<Exception>(() => _configuration.GetConfigurationAsync(CancellationToken.None));
            if (_provider.DiscoveryRequests > before)
            {
                attemptsAt.Add(second);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([0, 1, 3, 7, 15, 25, 35], attemptsAt);
        Assert.False(_configuration.HasKeys);
        Assert.Equal(attemptsAt.Count, _log.WithId(4030).Count());
        Assert.Contains("HTTP 500", _log.WithId(4030).First().Message);

        _provider.Failing = false;
        _time.Advance(RefreshInterval);
        Assert.Single((await _configuration.GetConfigurationAsync(CancellationToken.None)).SigningKeys);
        Assert.Contains("works again (failed attempts before: 7)", Assert.Single(_log.WithId(4033)).Message);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_keys_fetched_before()
    {
        var first = await _configuration.GetConfigurationAsync(CancellationToken.None);
        await _provider.StopAsync();

        _configuration.RequestRefresh();
        var kept = await _configuration.GetConfigurationAsync(CancellationToken.None);

        Assert.Same(first, kept);
        Assert.True(_configuration.HasKeys);
        var failure = Assert.Single(_log.WithId(4031));
        Assert.Contains("The keys fetched before stay in use (1)", failure.Message);

        // Tokens bring no other attempt within the refresh interval, and one after it.
        _time.Advance(RefreshInterval - TimeSpan.FromMilliseconds(1));
        _configuration.RequestRefresh();
        Assert.Same(first, await _configuration.GetConfigurationAsync(CancellationToken.None));
        Assert.Single(_log.WithId(4031));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        _configuration.RequestRefresh();
        Assert.Same(first, await _configuration.GetConfigurationAsync(CancellationToken.None));
        Assert.Contains("(failed attempts: 2)", _log.WithId(4031).Last().Message);
    }

    [Fact]
    public async Task A_failing_automatic_refresh_is_retried_with_the_same_back_off_while_the_keys_stay_in_use()
    {
        var first = await _configuration.GetConfigurationAsync(CancellationToken.None);
        _provider.Failing = true;
        _time.Advance(AutomaticRefreshInterval);
        var before = _provider.DiscoveryRequests;

        for (var second = 0; second < 20; second++)
        {
            Assert.Same(first, await _configuration.GetConfigurationAsync(CancellationToken.None));
            if (_configuration.Fetching is { } fetching)
            {
                await fetching.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // At 0, 1, 3, 7 and 15 seconds: five attempts in twenty seconds, not twenty.
        Assert.Equal(5, _provider.DiscoveryRequests - before);
    }

    [Fact]
    public void Keys_the_provider_removed_are_not_kept_as_a_last_known_good_configuration()
    {
        Assert.False(_configuration.UseLastKnownGoodConfiguration);
        Assert.Equal(RefreshInterval, _configuration.RefreshInterval);
        Assert.Equal(AutomaticRefreshInterval, _configuration.AutomaticRefreshInterval);
    }
}
