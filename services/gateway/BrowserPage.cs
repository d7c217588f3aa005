using Microsoft.AspNetCore.StaticFiles;

namespace ChatPlatform.Gateway;

/// <summary>
/// Response headers for the browser chat page in <c>wwwroot/</c>: <c>index.html</c> at <c>/</c>,
/// everything it loads under <c>/assets/</c> (so a proxy in front routes the page with two paths).
/// Its files are not fingerprinted, so browsers revalidate them on every load (a 304 when
/// unchanged) and a new gateway version is picked up at once. The page loads nothing but its
/// own files and talks only to its own gateway.
/// </summary>
internal static class BrowserPage
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void PrepareResponse(StaticFileResponseContext context)
    {
        var headers = context.Context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
    }
}
