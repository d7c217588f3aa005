using Microsoft.AspNetCore.Http.Features;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// A path segment exactly as the caller escaped it, unescaped once. Route values cannot be used
/// for user ids: the server leaves <c>%2F</c> escaped in the path it routes on (and has already
/// unescaped the rest), while a user id may hold <c>/</c> (<c>team/alice</c>).
/// </summary>
internal static class RawPath
{
    /// <param name="index">The segment's position: 0 is <c>api</c> in <c>/api/v1/users/{user}/presence</c>.</param>
    public static string Segment(HttpContext context, int index)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var path = target.AsSpan();
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        var segments = path.TrimStart('/').ToString().Split('/');
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : "";
    }
}
