using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// An OpenID Connect provider's discovery document and signing keys, as the JwtBearer handler
/// asks for them: fetched on first use, again every automatic refresh interval, and when a token
/// fails its signature check (a key the gateway does not have yet), at most once per refresh
/// interval however many tokens ask. A failed fetch keeps the configuration fetched before, and
/// the next attempt waits 1 s, 2 s, 4 s… up to the refresh interval, so a provider that is down
/// is never asked once per request.
/// </summary>
/// <remarks>
/// IdentityModel's <c>ConfigurationManager</c> does not do this: by default it refreshes in the
/// background (a token naming a new key is refused once, and a client with a fixed token takes
/// 401 as final) and retries a failing provider on every request once its automatic refresh is
/// due; its blocking mode is a process-wide switch that only limits refreshes after a success.
/// Fetching and parsing are still IdentityModel's (<see cref="OpenIdConnectConfigurationRetriever"/>).
/// Deriving from <see cref="BaseConfigurationManager"/> lets the token handler refresh and
/// validate again within the same request.
/// </remarks>
internal sealed class IdentityProviderConfiguration : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IDocumentRetriever _documents;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    private OpenIdConnectConfiguration? _current;
    private long _fetchedAt;

    // Guarded by _lock.
    private Task<OpenIdConnectConfiguration>? _fetch;
    private bool _fetchRequested;
    private long? _lastRequestedAt;
    private long? _retryAt;
    private TimeSpan _retryDelay = FirstRetryDelay;
    private int _failures;

    public IdentityProviderConfiguration(string metadataAddress, IDocumentRetriever documents, TimeSpan refreshInterval, TimeSpan automaticRefreshInterval, TimeProvider time, ILogger logger)
    {
        MetadataAddress = metadataAddress;
        RefreshInterval = refreshInterval;
        AutomaticRefreshInterval = automaticRefreshInterval;

        // A key the provider removed must stop working at the next fetch, not an hour later; while
        // the provider cannot be reached, the configuration fetched before stays in use anyway.
        UseLastKnownGoodConfiguration = false;
        _documents = documents;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether keys were ever fetched: until then every token is refused.</summary>
    public bool HasKeys => Volatile.Read(ref _current) is not null;

    /// <summary>The fetch under way, if any.</summary>
    internal Task? Fetching
    {
        get
        {
            lock (_lock)
            {
                return _fetch;
            }
        }
    }

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        await GetConfigurationAsync(cancel);

    /// <summary>
    /// The configuration to validate a token with. Waits for a fetch only when there is nothing
    /// to validate with yet, or when a token asked for fresh keys; an automatic refresh happens
    /// in the background.
    /// </summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var current = Volatile.Read(ref _current);
        if (current is null)
        {
            var first = StartFetch(requested: false)
                ?? throw new InvalidOperationException($"No signing keys from {MetadataAddress} yet; the last attempt failed and the next waits.");
            return await first.WaitAsync(cancel);
        }

        Task<OpenIdConnectConfiguration>? requested;
        lock (_lock)
        {
            requested = _fetchRequested ? _fetch : null;
        }

        if (requested is not null)
        {
            try
            {
                await requested.WaitAsync(cancel);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                // Logged where it failed; the configuration fetched before stays in use.
            }

            return Volatile.Read(ref _current)!;
        }

        if (_time.GetElapsedTime(Volatile.Read(ref _fetchedAt)) >= AutomaticRefreshInterval)
        {
            _ = StartFetch(requested: false);
        }

        return current;
    }

    /// <summary>A token named a key the gateway does not have, or failed its signature: fetch again, unless a token asked within the refresh interval.</summary>
    public override void RequestRefresh()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_lastRequestedAt is { } last && _time.GetElapsedTime(last, now) < RefreshInterval)
            {
                return;
            }

            if (StartFetchLocked(requested: true) is not null)
            {
                _lastRequestedAt = now;
            }
        }
    }

    private Task<OpenIdConnectConfiguration>? StartFetch(bool requested)
    {
        lock (_lock)
        {
            return StartFetchLocked(requested);
        }
    }

    /// <summary>The fetch under way, or a new one unless a failed one is still being waited out; null if none may start.</summary>
    private Task<OpenIdConnectConfiguration>? StartFetchLocked(bool requested)
    {
        if (_fetch is not null)
        {
            _fetchRequested |= requested;
            return _fetch;
        }

        if (_retryAt is { } retryAt && _time.GetTimestamp() < retryAt)
        {
            return null;
        }

        _fetchRequested = requested;

        // Never run inline under the lock: the fetch takes the lock itself when it ends.
        _fetch = Task.Run(FetchAsync);

        // A background refresh may fail with nobody waiting; its failure is logged already.
        _fetch.ContinueWith(fetch => _ = fetch.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return _fetch;
    }

    private async Task<OpenIdConnectConfiguration> FetchAsync()
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            // Not the caller's token: one request giving up must not cancel the fetch others wait for.
            configuration = await OpenIdConnectConfigurationRetriever.GetAsync(MetadataAddress, _documents, CancellationToken.None);
            if (string.IsNullOrEmpty(configuration.Issuer))
            {
                throw new InvalidDataException("The discovery document names no issuer.");
            }

            if (configuration.SigningKeys.Count == 0)
            {
                throw new InvalidDataException("The key set holds no signing keys.");
            }
        }
        catch (Exception exception)
        {
            int failures;
            TimeSpan delay;
            lock (_lock)
            {
                failures = ++_failures;
                delay = _retryDelay;
                _retryAt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
                _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, RefreshInterval.Ticks));
                _fetch = null;
                _fetchRequested = false;
            }

            var reason = LogValue.Escape(Describe(exception));
            var current = Volatile.Read(ref _current);
            if (current is null)
            {
                Log.KeysUnavailable(_logger, LogValue.Escape(MetadataAddress), reason, failures, delay);
            }
            else
            {
                Log.KeyRefreshFailed(_logger, LogValue.Escape(MetadataAddress), reason, failures, current.SigningKeys.Count, delay);
            }

            throw;
        }

        int recovered;
        lock (_lock)
        {
            // The time first, so a reader that sees the new configuration never sees it stale.
            Volatile.Write(ref _fetchedAt, _time.GetTimestamp());
            Volatile.Write(ref _current, configuration);
            recovered = _failures;
            _failures = 0;
            _retryAt = null;
            _retryDelay = FirstRetryDelay;
            _fetch = null;
            _fetchRequested = false;
        }

        if (recovered > 0)
        {
            Log.KeyFetchRecovered(_logger, LogValue.Escape(MetadataAddress), recovered);
        }

        var keyIds = string.Join(", ", configuration.SigningKeys.Select(key => key.KeyId ?? "(no kid)"));
        Log.KeysFetched(_logger, LogValue.Escape(MetadataAddress), LogValue.Escape(keyIds), configuration.SigningKeys.Count);
        return configuration;
    }

    /// <summary>What went wrong, as an operator needs it: IdentityModel's own messages hide the address and the status.</summary>
    private static string Describe(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause.Data[HttpDocumentRetriever.StatusCode] is { } status)
            {
                return $"HTTP {(int)(System.Net.HttpStatusCode)status} {status}";
            }
        }

        var innermost = exception.GetBaseException();
        return $"{innermost.GetType().Name}: {innermost.Message}";
    }
}
