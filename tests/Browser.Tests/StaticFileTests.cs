using System.Net;
using System.Text.RegularExpressions;

namespace ChatPlatform.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class StaticFileTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Every_gateway_serves_the_page_for_revalidation_allows_it_only_its_own_files_and_socket_and_says_how_to_sign_in()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var gateway in fixture.Stack.Gateways)
        {
            using var page = await http.GetAsync(gateway.BaseAddress);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.True(page.Headers.CacheControl?.NoCache, "the page is revalidated on every load");
            Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
            var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", policy);
            Assert.Contains("connect-src 'self'", policy);
            var html = await page.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(ExternalReference(), html);

            // Everything the page loads is under /assets/, the one other path a proxy in front must route;
            // its scripts are modules, which browsers run only when served with a JavaScript type.
            Assert.Contains("""<script type="module" src="assets/app.js"></script>""", html);
            foreach (var (file, type) in PageAssets.Files.Select(file => ($"assets/{file}", ContentTypes[Path.GetExtension(file)])))
            {
                var address = new Uri(gateway.BaseAddress, file);
                using var first = await http.GetAsync(address);
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                Assert.Equal(type, first.Content.Headers.ContentType?.MediaType);
                Assert.True(first.Headers.CacheControl?.NoCache, $"{file} is revalidated on every load");
                Assert.DoesNotMatch(ExternalReference(), await first.Content.ReadAsStringAsync());

                // Unchanged files cost a 304 and no body.
                using var again = new HttpRequestMessage(HttpMethod.Get, address);
                again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
                using var revalidated = await http.SendAsync(again);
                Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            }

            // This stack lets development users in and has no token key.
            using var mode = await http.GetAsync(new Uri(gateway.BaseAddress, "auth-mode"));
            Assert.Equal(HttpStatusCode.OK, mode.StatusCode);
            Assert.Equal("application/json", mode.Content.Headers.ContentType?.MediaType);
            Assert.True(mode.Headers.CacheControl?.NoStore, "the answer is never cached");
            Assert.Equal("""{"developmentUsers":true,"tokens":false}""", await mode.Content.ReadAsStringAsync());

            // The WebSocket endpoint is still the gateway's, not a file.
            using var socket = await http.GetAsync(new Uri(gateway.BaseAddress, "ws?user=alice"));
            Assert.Equal(HttpStatusCode.BadRequest, socket.StatusCode);
        }
    }

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".js"] = "text/javascript",
        [".css"] = "text/css",
        [".svg"] = "image/svg+xml",
    };

    // A URL to another host: the page must load nothing from outside its gateway.
    [GeneratedRegex(@"(src|href)\s*=\s*[""']?(https?:)?//|url\(\s*[""']?(https?:)?//|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
