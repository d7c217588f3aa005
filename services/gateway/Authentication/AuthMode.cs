using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// <c>GET /auth-mode</c>: how this gateway lets clients in, e.g.
/// <c>{"developmentUsers":true,"tokens":false}</c>. The browser page asks it to offer the right
/// way to sign in, because a browser cannot read the status of a refused WebSocket upgrade. It
/// tells nothing a client could not learn by trying to connect.
/// </summary>
internal sealed record AuthMode(bool DevelopmentUsers, bool Tokens)
{
    public const string Path = "/auth-mode";

    public static IResult Get(HttpContext context, IOptions<AuthOptions> options)
    {
        // Configuration can differ between gateways and deployments: never cached.
        context.Response.Headers.CacheControl = "no-store";
        var auth = options.Value;
        return Results.Json(new AuthMode(auth.AllowDevelopmentUsers, auth.Jwt.IsConfigured));
    }
}
