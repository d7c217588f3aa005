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
    [InlineData("http", "127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http", "chat.example:8080", "http://chat.example:8080")]
    [InlineData("https", "chat.example", "https://chat.example")]
    [InlineData("https", "Chat.Example", "https://chat.example")]
    public void The_gateways_own_origin_is_allowed(string scheme, string host, string origin)
    {
        Assert.True(IsAllowed([], origin, scheme, host));
    }

    [Theory]
    [InlineData("https://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5001")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000.evil.example")]
    public void An_origin_differing_in_scheme_host_or_port_is_not_the_gateways_own(string origin)
    {
        Assert.False(IsAllowed([], origin, "http", "127.0.0.1:5000"));
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
