using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Guards against cross-site WebSocket hijacking: a browser sends the origin of the page that
/// opens a connection, and only the gateway's own pages and the configured origins may.
/// Requests without an Origin header do not come from a browser page and are not checked;
/// their caller must authenticate like anyone else.
/// </summary>
internal sealed class OriginPolicy(IOptions<AuthOptions> options)
{
    private readonly HashSet<string> _allowed = options.Value.AllowedOrigins
        .Select(origin => origin.TrimEnd('/'))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || _allowed.Contains("*") || _allowed.Contains(origin))
        {
            return true;
        }

        // The gateway's own pages.
        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
