namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Configuration section <c>Auth</c>: who may connect. A JWT is required unless
/// <see cref="AllowDevelopmentUsers"/> is on; the gateway does not start with neither.
/// </summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Accept <c>?user=NAME</c> without a token. For trying the platform locally only: anyone
    /// can claim any name. Off unless configured.
    /// </summary>
    public bool AllowDevelopmentUsers { get; set; }

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) whose pages may open connections, besides the
    /// gateway's own. A browser sends its page's origin with the upgrade; a request without one
    /// (not from a browser) is not checked. <c>*</c> allows any origin.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();
}
