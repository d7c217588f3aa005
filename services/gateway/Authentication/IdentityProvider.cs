using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// The OpenID Connect provider named by <c>Auth:Jwt:Authority</c>, if any, and the client the
/// gateway fetches its discovery document and keys with: only this address is ever asked.
/// </summary>
internal sealed class IdentityProvider : IDisposable
{
    /// <summary>How long one request for the discovery document or the key set may take.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    // A discovery document and a key set are a few kilobytes.
    private const int MaxDocumentBytes = 1024 * 1024;

    private readonly HttpClient? _http;

    public IdentityProvider(IOptions<AuthOptions> options, TimeProvider time, ILogger<IdentityProvider> logger)
    {
        var jwt = options.Value.Jwt;
        if (jwt.Authority is null)
        {
            return;
        }

        _http = new HttpClient { Timeout = FetchTimeout, MaxResponseContentBufferSize = MaxDocumentBytes };
        var documents = new HttpDocumentRetriever(_http)
        {
            RequireHttps = jwt.RequireHttpsMetadata,

            // The provider needs no telemetry headers naming this library and its version.
            SendAdditionalHeaderData = false,
        };
        Configuration = new IdentityProviderConfiguration(MetadataAddress(jwt.Authority), documents, jwt.KeyRefreshInterval, jwt.MetadataRefreshInterval, time, logger);
    }

    /// <summary>The provider's configuration manager; null when tokens are checked with a secret or key files.</summary>
    public IdentityProviderConfiguration? Configuration { get; }

    public static string MetadataAddress(string authority) => $"{authority.TrimEnd('/')}/.well-known/openid-configuration";

    public void Dispose() => _http?.Dispose();
}
