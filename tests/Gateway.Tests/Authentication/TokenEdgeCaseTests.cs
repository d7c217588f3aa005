using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace ChatPlatform.Gateway.Tests.Authentication;

/// <summary>
/// Tokens the issuer's key really signed, written by hand, that the gateway still refuses: what
/// a JSON serializer would never produce, and what IdentityModel alone accepts.
/// </summary>
public sealed class TokenEdgeCaseTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "chat-gateway";
    private const string Header = """{"alg":"HS256","typ":"JWT"}""";

    private readonly string _secret = TestTokens.NewSecret();
    private UpgradeAuthenticationHost _host = null!;

    // One time for the whole test, so the text of a claim can be found again to change it.
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync() =>
        _host = await UpgradeAuthenticationHost.StartAsync(new AuthOptions
        {
            Jwt = new JwtOptions { Algorithm = "HS256", Secret = _secret, Issuer = Issuer, Audience = Audience },
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_hand_written_token_without_any_oddity_is_accepted()
    {
        // The baseline every other test here changes in one way only.
        var identity = AssertAccepted(await _host.AuthenticateAsync(Sign(Header, Claims())));

        Assert.Equal("alice", identity.UserId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(_now + 600), identity.Grants.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"alg":"HS256","typ":"JWT","crit":["exp"],"exp":1}""", "crit: exp")]
    [InlineData("""{"alg":"HS256","typ":"JWT","crit":["b64"],"b64":false}""", "crit: b64")]
    [InlineData("""{"alg":"HS256","typ":"JWT","crit":["urn:example:must-check"],"urn:example:must-check":true}""", "crit: urn:example:must-check")]
    [InlineData("""{"alg":"HS256","typ":"JWT","crit":[]}""", "crit: ")]
    public async Task A_crit_header_naming_an_extension_the_gateway_does_not_implement_is_refused(string header, string logged)
    {
        var result = await _host.AuthenticateAsync(Sign(header, Claims()));

        AssertRefused(result);
        Assert.Contains(logged, result.Reason);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    public async Task A_time_claim_given_as_a_string_is_refused_even_when_it_would_be_valid(string claim)
    {
        var claims = Claims().Replace($"\"{claim}\":{Time(claim)}", $"\"{claim}\":\"{Time(claim)}\"", StringComparison.Ordinal);
        Assert.Contains($"\"{claim}\":\"", claims);

        var result = await _host.AuthenticateAsync(Sign(Header, claims));

        AssertRefused(result);
        Assert.Equal($"the '{claim}' claim is not a number", result.Reason);
    }

    [Fact]
    public async Task An_exp_written_as_in_the_docs_but_quoted_is_refused()
    {
        var result = await _host.AuthenticateAsync(Sign(Header, $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"alice","exp":"{{_now + 600}}"}"""));

        AssertRefused(result);
    }

    [Theory]
    [InlineData("sub", ",\"sub\":\"mallory\"")]
    [InlineData("exp", ",\"exp\":4102444800")]
    [InlineData("iss", ",\"iss\":\"https://issuer.example\"")]
    [InlineData("aud", ",\"aud\":\"chat-gateway\"")]
    [InlineData("roles", ",\"roles\":[\"user\"],\"roles\":[\"admin\"]")]
    public async Task A_claim_given_twice_is_refused(string claim, string extra)
    {
        // The second value comes last: IdentityModel alone would take it, for sub "mallory".
        var result = await _host.AuthenticateAsync(Sign(Header, Claims(extra: extra)));

        AssertRefused(result);
        Assert.Equal($"duplicate claim '{claim}'", result.Reason);
    }

    [Fact]
    public async Task A_subject_given_twice_once_escaped_is_the_same_claim_twice()
    {
        var result = await _host.AuthenticateAsync(Sign(Header, Claims(extra: ",\"s\\u0075b\":\"mallory\"")));

        AssertRefused(result);
        Assert.Equal("duplicate claim 'sub'", result.Reason);
    }

    [Fact]
    public async Task A_header_parameter_given_twice_is_refused()
    {
        var result = await _host.AuthenticateAsync(Sign("""{"alg":"none","alg":"HS256","typ":"JWT"}""", Claims()));

        AssertRefused(result);
        Assert.Equal("duplicate header parameter 'alg'", result.Reason);
    }

    [Fact]
    public async Task A_nested_object_may_repeat_names_the_claims_set_has()
    {
        // Only the claims themselves must be unique; a claim's own value is its business.
        var identity = AssertAccepted(await _host.AuthenticateAsync(Sign(Header, Claims(extra: ""","profile":{"sub":"x","name":"Alice"}"""))));

        Assert.Equal("alice", identity.UserId);
    }

    [Theory]
    [InlineData("alice\\u200b")]
    [InlineData("\\u202ealice")]
    [InlineData("\\u2066alice\\u2069")]
    [InlineData("\\ufeffalice")]
    [InlineData("ali\\u00adce")]
    [InlineData("alice\\ufe0f")]
    public async Task A_subject_with_an_invisible_or_direction_changing_character_is_refused(string subject)
    {
        // JSON escapes in the payload: the token carries the characters themselves once decoded.
        var result = await _host.AuthenticateAsync(Sign(Header, Claims(subject: subject)));

        AssertRefused(result);
        Assert.Equal("no usable 'sub' claim", result.Reason);
    }

    [Fact]
    public async Task Every_edge_case_is_refused_in_the_query_string_too()
    {
        string[] tokens =
        [
            Sign("""{"alg":"HS256","crit":["b64"],"b64":false}""", Claims()),
            Sign(Header, Claims().Replace($"\"exp\":{Time("exp")}", $"\"exp\":\"{Time("exp")}\"", StringComparison.Ordinal)),
            Sign(Header, Claims(extra: ",\"sub\":\"mallory\"")),
            Sign(Header, Claims(subject: "alice\\u200b")),
        ];

        foreach (var token in tokens)
        {
            AssertRefused(await _host.AuthenticateAsync(query: $"?access_token={token}"));
        }
    }

    [Fact]
    public async Task An_RS256_token_with_a_crit_header_is_refused_too()
    {
        using var rsa = RSA.Create(2048);
        var pem = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(pem, rsa.ExportSubjectPublicKeyInfoPem());
            await using var host = await UpgradeAuthenticationHost.StartAsync(new AuthOptions
            {
                Jwt = new JwtOptions { Algorithm = "RS256", PublicKeyFile = pem, Issuer = Issuer, Audience = Audience },
            });

            var plain = await host.AuthenticateAsync(TestTokens.SignRs256Json(rsa, """{"alg":"RS256","typ":"JWT"}""", Claims()));
            var critical = await host.AuthenticateAsync(TestTokens.SignRs256Json(rsa, """{"alg":"RS256","typ":"JWT","crit":["exp"],"exp":1}""", Claims()));

            AssertAccepted(plain);
            AssertRefused(critical);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    private string Claims(string subject = "alice", string extra = "") =>
        $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"{{subject}}","iat":{{Time("iat")}},"nbf":{{Time("nbf")}},"exp":{{Time("exp")}}{{extra}}}""";

    private long Time(string claim) => claim == "exp" ? _now + 600 : _now - 1;

    private string Sign(string header, string claims) => TestTokens.SignHs256Json(Encoding.UTF8.GetBytes(_secret), header, claims);

    private static UpgradeIdentity AssertAccepted(UpgradeAuthentication result)
    {
        Assert.True(result.Identity is not null, $"refused: {result.Status} {result.Reason}");
        return result.Identity;
    }

    private static void AssertRefused(UpgradeAuthentication result)
    {
        Assert.Null(result.Identity);
        Assert.Equal(StatusCodes.Status401Unauthorized, result.Status);
        Assert.Equal("unauthorized", result.ClientMessage);
    }
}
