using ChatPlatform.Testing;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// A stack whose gateway takes JWTs only (HS256, a secret made for this run; no development
/// users), one router and one gateway, and a browser; <see cref="Tokens"/> signs tokens it accepts.
/// </summary>
public sealed class TokenBrowserFixture : BrowserFixture
{
    private const string Issuer = "chatplatform-browser-tests";
    private const string Audience = "chatplatform";

    private readonly string _secret = TestTokens.NewSecret();

    internal TestTokens Tokens => new(Issuer, Audience, _secret);

    /// <summary>Signs like <see cref="Tokens"/> with another secret: tokens the gateway must refuse.</summary>
    internal static TestTokens ForgedTokens { get; } = new(Issuer, Audience, TestTokens.NewSecret());

    protected override Task<ChatStack> StartStackAsync(string name) =>
        ChatStack.StartAsync(name, routers: 1, gateways: 1, settings: new Dictionary<string, string?>
        {
            ["Auth__AllowDevelopmentUsers"] = "false",
            ["Auth__Jwt__Algorithm"] = "HS256",
            ["Auth__Jwt__Secret"] = _secret,
            ["Auth__Jwt__Issuer"] = Issuer,
            ["Auth__Jwt__Audience"] = Audience,
        });
}
