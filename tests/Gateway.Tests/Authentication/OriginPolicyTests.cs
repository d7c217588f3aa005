using ChatPlatform.Gateway.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Authentication;

/// <summary>Which browser pages may open connections, judged by the Origin header of the upgrade.</summary>
public sealed class OriginPolicyTests
{
    [Fact]
    public void A_request_without_an_origin_is_not_a_browser_page_and_is_allowed()
    {
        Assert.True(IsAllowed([], origin: null));
        Assert.True(IsAllowed([], origin: ""));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("chat.example:8080", "http://chat.example:8080")]
    [InlineData("chat.example", "https://chat.example")]
    [InlineData("chat.example", "http://chat.example")]
    [InlineData("Chat.Example", "https://chat.example")]
    public void A_page_from_the_host_the_upgrade_was_sent_to_is_allowed(string host, string origin)
    {
        Assert.True(IsAllowed([], origin, host: host));
    }

    // A proxy that terminates TLS forwards an https page's upgrade as http, with the page's Host.
    [Fact]
    public void The_scheme_is_not_compared_so_pages_behind_a_TLS_proxy_are_their_own_origin()
    {
        Assert.True(IsAllowed([], "https://chat.example", scheme: "http", host: "chat.example"));
        Assert.True(IsAllowed([], "https://127.0.0.1:5000", scheme: "http", host: "127.0.0.1:5000"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001")]
    [InlineData("http://127.0.0.1")]
    [InlineData("https://127.0.0.1")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000.evil.example")]
    [InlineData("ws://127.0.0.1:5000")]
    [InlineData("file://127.0.0.1:5000")]
    public void An_origin_differing_in_host_or_port_or_not_a_web_page_is_not_the_gateways_own(string origin)
    {
        Assert.False(IsAllowed([], origin, host: "127.0.0.1:5000"));
    }

    [Theory]
    [InlineData("https://chat.example:443")]
    [InlineData("http://chat.example")]
    public void A_host_header_without_a_port_means_the_default_port_of_the_pages_scheme(string origin)
    {
        Assert.True(IsAllowed([], origin, host: "chat.example"));
        Assert.False(IsAllowed([], "https://chat.example:8443", host: "chat.example"));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://chat.example.evil.example")]
    [InlineData("https://evil.example/https://chat.example")]
    [InlineData("http://chat.example")]
    [InlineData("https://chat.example:8443")]
    public void Another_origin_is_refused(string origin)
    {
        Assert.False(IsAllowed(["https://chat.example"], origin));
    }

    [Theory]
    [InlineData("https://chat.example", "https://chat.example")]
    [InlineData("https://chat.example/", "https://chat.example")]
    [InlineData("HTTPS://Chat.Example", "https://chat.example")]
    [InlineData("https://chat.example", "https://CHAT.example")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    public void A_configured_origin_is_allowed(string configured, string origin)
    {
        Assert.True(IsAllowed(["https://other.example", configured], origin));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:9")]
    public void A_star_allows_any_origin(string origin)
    {
        Assert.True(IsAllowed(["*"], origin));
    }

    [Fact]
    public void The_null_origin_of_sandboxed_and_file_pages_is_refused()
    {
        Assert.False(IsAllowed([], "null"));
        Assert.False(IsAllowed(["https://chat.example"], "null"));
    }

    private static bool IsAllowed(string[] allowed, string? origin, string scheme = "http", string host = "127.0.0.1:5000")
    {
        var policy = new OriginPolicy(Options.Create(new AuthOptions { AllowedOrigins = allowed }));
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = "/ws";
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return policy.IsAllowed(context.Request);
    }
}
