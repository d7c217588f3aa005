namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Configuration section <c>Auth:Jwt</c>: how tokens are validated. Unset means no token is
/// accepted. <see cref="AuthOptionsValidator"/> checks it at start-up.
/// </summary>
internal sealed class JwtOptions
{
    /// <summary>
    /// <c>HS256</c> (a shared <see cref="Secret"/>) or <c>RS256</c> (a <see cref="PublicKeyFile"/>,
    /// a <see cref="JwksFile"/> or an <see cref="Authority"/>). Tokens signed any other way are refused.
    /// </summary>
    public string Algorithm { get; set; } = "HS256";

    /// <summary>The HS256 key, at least 32 bytes of UTF-8. Give it through the environment or a secret store, never a file in the repository.</summary>
    public string? Secret { get; set; }

    /// <summary>A PEM file with the RS256 public key.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>A JSON Web Key Set file with the RS256 public keys (any of them may have signed a token).</summary>
    public string? JwksFile { get; set; }

    /// <summary>
    /// An OpenID Connect provider (e.g. <c>https://login.example.com/realms/chat/</c>): the RS256
    /// keys come from its <c>/.well-known/openid-configuration</c> document's <c>jwks_uri</c>, and
    /// are fetched again when a token names a key the gateway does not have and every
    /// <see cref="MetadataRefreshInterval"/>, so keys the provider rotates are picked up without a
    /// restart.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Refuse an <see cref="Authority"/>, and a <c>jwks_uri</c>, that is not https. Off only for tests and local providers.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The least time between two fetches of the provider's keys that tokens ask for by naming an
    /// unknown key (or failing their signature check), however many such tokens arrive.
    /// </summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the provider's metadata and keys are fetched anyway.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The <c>iss</c> tokens must carry. With an <see cref="Authority"/> it may be left out: then it is the discovery document's <c>issuer</c>.</summary>
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim holding the user id.</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>The claim listing the user's roles (a string or an array).</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>The claim listing the private rooms the user may join (a string or an array).</summary>
    public string RoomsClaim { get; set; } = "rooms";

    /// <summary>The role that may send to everyone.</summary>
    public string AdminRole { get; set; } = "admin";

    /// <summary>How far token times may be off between the issuer's clock and the gateway's.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => Issuer is not null || Audience is not null || Secret is not null || PublicKeyFile is not null || JwksFile is not null || Authority is not null;
}
