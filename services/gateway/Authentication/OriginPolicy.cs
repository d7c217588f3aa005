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

        return IsSameHost(origin, request.Host);
    }

    /// <summary>
    /// The gateway's own pages: the origin names the host the request was sent to. The scheme is
    /// not compared, because a proxy that terminates TLS forwards https pages' upgrades as http.
    /// </summary>
    private static bool IsSameHost(string origin, HostString host)
    {
        if (!host.HasValue
            || !Uri.TryCreate(origin, UriKind.Absolute, out var page)
            || page.Scheme is not ("http" or "https")
            || !string.Equals(page.Host, host.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // A Host header without a port means the scheme's default one.
        return host.Port is { } port ? port == page.Port : page.IsDefaultPort;
    }
}
