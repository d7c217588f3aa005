using System.Security.Cryptography;
using ChatPlatform.Gateway.Authentication;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Authentication;

/// <summary>The start-up check: a gateway that would let anyone in, or nobody, does not start.</summary>
public sealed class AuthOptionsValidatorTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("auth-options-");
    private readonly string _pem;
    private readonly string _jwks;

    public AuthOptionsValidatorTests()
    {
        using var rsa = RSA.Create(2048);
        _pem = Path.Combine(_directory.FullName, "public.pem");
        File.WriteAllText(_pem, rsa.ExportSubjectPublicKeyInfoPem());
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        _jwks = Path.Combine(_directory.FullName, "jwks.json");
        File.WriteAllText(_jwks, $$"""
            {"keys":[{"kty":"RSA","use":"sig","kid":"k1","n":"{{Base64Url(parameters.Modulus!)}}","e":"{{Base64Url(parameters.Exponent!)}}"}]}
            """);
    }

    [Fact]
    public void Neither_tokens_nor_development_users_fails_and_says_what_to_configure()
    {
        var result = Validate(new AuthOptions());

        Assert.True(result.Failed);
        Assert.Contains("Auth:Jwt", result.FailureMessage);
        Assert.Contains("Auth:AllowDevelopmentUsers", result.FailureMessage);
    }

    [Fact]
    public void Development_users_alone_are_allowed()
    {
        Assert.True(Validate(new AuthOptions { AllowDevelopmentUsers = true }).Succeeded);
    }

    [Fact]
    public void A_complete_HS256_setup_is_valid()
    {
        Assert.True(Validate(Hs256()).Succeeded);
    }

    [Fact]
    public void Tokens_and_development_users_together_are_valid()
    {
        var options = Hs256();
        options.AllowDevelopmentUsers = true;

        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void A_complete_RS256_setup_with_a_PEM_file_is_valid()
    {
        Assert.True(Validate(Rs256(publicKeyFile: _pem)).Succeeded);
    }

    [Fact]
    public void A_complete_RS256_setup_with_a_key_set_file_is_valid()
    {
        Assert.True(Validate(Rs256(jwksFile: _jwks)).Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcde")]
    public void An_HS256_secret_shorter_than_32_bytes_fails(string? secret)
    {
        var options = Hs256();
        options.Jwt.Secret = secret;
        if (secret is null)
        {
            // Still configured through its issuer and audience.
            Assert.True(options.Jwt.IsConfigured);
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains("Auth:Jwt:Secret must be at least 32 bytes", result.FailureMessage);
    }

    [Fact]
    public void The_secret_length_counts_bytes_not_characters()
    {
        var options = Hs256();

        // 16 characters, 32 bytes of UTF-8.
        options.Jwt.Secret = new string('é', 16);
        Assert.True(Validate(options).Succeeded);

        options.Jwt.Secret = new string('é', 15) + "a";
        Assert.True(Validate(options).Failed);
    }

    [Theory]
    [InlineData(null, "chat", "Auth:Jwt:Issuer is required.")]
    [InlineData("", "chat", "Auth:Jwt:Issuer is required.")]
    [InlineData("https://issuer.example", null, "Auth:Jwt:Audience is required.")]
    [InlineData("https://issuer.example", "", "Auth:Jwt:Audience is required.")]
    public void A_missing_issuer_or_audience_fails(string? issuer, string? audience, string message)
    {
        var options = Hs256();
        options.Jwt.Issuer = issuer;
        options.Jwt.Audience = audience;

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.Failures!);
    }

    [Fact]
    public void A_secret_alone_is_not_enough()
    {
        var result = Validate(new AuthOptions { Jwt = new JwtOptions { Secret = Secret } });

        Assert.True(result.Failed);
        Assert.Contains("Auth:Jwt:Issuer is required.", result.Failures!);
        Assert.Contains("Auth:Jwt:Audience is required.", result.Failures!);
    }

    [Fact]
    public void Development_users_do_not_excuse_an_incomplete_token_setup()
    {
        var options = Hs256();
        options.AllowDevelopmentUsers = true;
        options.Jwt.Audience = null;

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void HS256_with_a_key_file_fails()
    {
        var withPem = Hs256();
        withPem.Jwt.PublicKeyFile = _pem;
        var withJwks = Hs256();
        withJwks.Jwt.JwksFile = _jwks;

        Assert.True(Validate(withPem).Failed);
        Assert.True(Validate(withJwks).Failed);
    }

    [Fact]
    public void RS256_needs_exactly_one_source_of_keys()
    {
        const string message = "RS256 needs exactly one of Auth:Jwt:PublicKeyFile, Auth:Jwt:JwksFile or Auth:Jwt:Authority.";
        var neither = Validate(Rs256());
        var both = Validate(Rs256(publicKeyFile: _pem, jwksFile: _jwks));
        var fileAndAuthority = Rs256(jwksFile: _jwks);
        fileAndAuthority.Jwt.Authority = "https://login.example/";

        Assert.Equal(message, Assert.Single(neither.Failures!));
        Assert.Equal(message, Assert.Single(both.Failures!));
        Assert.Equal(message, Assert.Single(Validate(fileAndAuthority).Failures!));
    }

    [Fact]
    public void An_RS256_setup_with_an_authority_and_an_audience_is_valid_without_an_issuer()
    {
        var options = Authority("https://login.example/realms/chat");
        options.Jwt.Issuer = null;

        Assert.True(Validate(options).Succeeded);
        Assert.True(options.Jwt.IsConfigured);
    }

    [Fact]
    public void An_authority_still_needs_an_audience()
    {
        var options = Authority("https://login.example/");
        options.Jwt.Audience = null;

        Assert.Equal("Auth:Jwt:Audience is required.", Assert.Single(Validate(options).Failures!));
    }

    [Fact]
    public void An_authority_serves_RS256_keys_so_HS256_with_one_fails_and_says_what_to_change()
    {
        var withSecret = Hs256();
        withSecret.Jwt.Authority = "https://login.example/";
        var withoutSecret = Authority("https://login.example/");
        withoutSecret.Jwt.Algorithm = "HS256";

        Assert.Contains("Auth:Jwt:Authority serves RS256 keys: set Auth:Jwt:Algorithm to RS256, or remove Auth:Jwt:Authority to use Auth:Jwt:Secret.", Validate(withSecret).Failures!);
        Assert.Contains("Auth:Jwt:Authority serves RS256 keys: set Auth:Jwt:Algorithm to RS256, or remove Auth:Jwt:Authority to use Auth:Jwt:Secret.", Validate(withoutSecret).Failures!);
    }

    [Fact]
    public void An_authority_with_a_secret_fails()
    {
        var options = Authority("https://login.example/");
        options.Jwt.Secret = Secret;

        Assert.Equal("RS256 does not use Auth:Jwt:Secret; remove it.", Assert.Single(Validate(options).Failures!));
    }

    [Theory]
    [InlineData("login.example")]
    [InlineData("/realms/chat")]
    [InlineData("ftp://login.example/")]
    [InlineData("https://login.example/?tenant=a")]
    [InlineData("https://login.example/#keys")]
    [InlineData("https://user:password@login.example/")]
    public void An_authority_that_is_not_a_plain_web_address_fails(string authority)
    {
        var result = Validate(Authority(authority));

        Assert.Equal(
            "Auth:Jwt:Authority must be an http or https address without a query, fragment or credentials, such as https://login.example.com/realms/chat/.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void An_http_authority_needs_require_https_metadata_turned_off()
    {
        var options = Authority("http://127.0.0.1:8080/");

        Assert.Equal(
            "Auth:Jwt:Authority must be https unless Auth:Jwt:RequireHttpsMetadata is false (for tests and local providers only).",
            Assert.Single(Validate(options).Failures!));
        options.Jwt.RequireHttpsMetadata = false;
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("00:00:01", "00:05:00", true)]
    [InlineData("00:05:00", "12:00:00", true)]
    [InlineData("12:00:00", "12:00:00", true)]
    [InlineData("00:00:00.500", "12:00:00", false)]
    [InlineData("00:00:00", "12:00:00", false)]
    [InlineData("-00:00:01", "12:00:00", false)]
    [InlineData("12:00:01", "12:00:00", false)]
    public void The_key_refresh_interval_is_at_least_a_second_and_at_most_the_metadata_refresh_interval(string key, string metadata, bool valid)
    {
        var options = Authority("https://login.example/");
        options.Jwt.KeyRefreshInterval = TimeSpan.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
        options.Jwt.MetadataRefreshInterval = TimeSpan.Parse(metadata, System.Globalization.CultureInfo.InvariantCulture);

        var result = Validate(options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Equal("Auth:Jwt:KeyRefreshInterval must be at least 00:00:01 and at most Auth:Jwt:MetadataRefreshInterval.", Assert.Single(result.Failures!));
        }
    }

    [Theory]
    [InlineData("00:04:59")]
    [InlineData("7.00:00:01")]
    [InlineData("-12:00:00")]
    public void A_metadata_refresh_interval_outside_five_minutes_to_seven_days_fails(string interval)
    {
        var options = Authority("https://login.example/");
        options.Jwt.KeyRefreshInterval = TimeSpan.FromSeconds(1);
        options.Jwt.MetadataRefreshInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains("Auth:Jwt:MetadataRefreshInterval must be between 00:05:00 and 7.00:00:00.", Validate(options).Failures!);
    }

    [Fact]
    public void The_refresh_intervals_default_to_five_minutes_and_twelve_hours_and_https_is_required()
    {
        var jwt = new JwtOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), jwt.KeyRefreshInterval);
        Assert.Equal(TimeSpan.FromHours(12), jwt.MetadataRefreshInterval);
        Assert.True(jwt.RequireHttpsMetadata);
    }

    [Fact]
    public void RS256_with_a_key_file_that_does_not_exist_fails_and_names_it()
    {
        var missing = Path.Combine(_directory.FullName, "missing.pem");
        var missingJwks = Path.Combine(_directory.FullName, "missing.json");

        var pem = Validate(Rs256(publicKeyFile: missing));
        var jwks = Validate(Rs256(jwksFile: missingJwks));

        Assert.True(pem.Failed);
        Assert.Contains(missing, pem.FailureMessage);
        Assert.True(jwks.Failed);
        Assert.Contains(missingJwks, jwks.FailureMessage);
    }

    [Fact]
    public void RS256_with_a_secret_fails()
    {
        var options = Rs256(publicKeyFile: _pem);
        options.Jwt.Secret = Secret;

        Assert.True(Validate(options).Failed);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS512")]
    [InlineData("RS512")]
    [InlineData("ES256")]
    [InlineData("hs256")]
    [InlineData("")]
    public void An_algorithm_other_than_HS256_or_RS256_fails(string algorithm)
    {
        var options = Hs256();
        options.Jwt.Algorithm = algorithm;

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains("Auth:Jwt:Algorithm must be HS256 or RS256.", result.Failures!);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:01")]
    [InlineData("1.00:00:00")]
    public void A_clock_skew_outside_zero_to_five_minutes_fails(string skew)
    {
        var options = Hs256();
        options.Jwt.ClockSkew = TimeSpan.Parse(skew, System.Globalization.CultureInfo.InvariantCulture);

        var result = Validate(options);

        Assert.Equal("Auth:Jwt:ClockSkew must be between 00:00:00 and 00:05:00.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Empty_claim_names_fail_and_are_each_named()
    {
        var options = Hs256();
        options.Jwt.UserClaim = "";
        options.Jwt.AdminRole = " ";

        var result = Validate(options);

        Assert.Equal(["Auth:Jwt:UserClaim must not be empty.", "Auth:Jwt:AdminRole must not be empty."], result.Failures!);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new AuthOptions { Jwt = new JwtOptions { Algorithm = "RS256", Secret = Secret } };

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.True(result.Failures!.Count() >= 4, result.FailureMessage);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static ValidateOptionsResult Validate(AuthOptions options) => new AuthOptionsValidator().Validate(null, options);

    private static AuthOptions Hs256() => new()
    {
        Jwt = new JwtOptions { Algorithm = "HS256", Secret = Secret, Issuer = "https://issuer.example", Audience = "chat" },
    };

    private static AuthOptions Authority(string authority) => new()
    {
        Jwt = new JwtOptions { Algorithm = "RS256", Authority = authority, Issuer = "https://issuer.example", Audience = "chat" },
    };

    private static AuthOptions Rs256(string? publicKeyFile = null, string? jwksFile = null) => new()
    {
        Jwt = new JwtOptions
        {
            Algorithm = "RS256",
            PublicKeyFile = publicKeyFile,
            JwksFile = jwksFile,
            Issuer = "https://issuer.example",
            Audience = "chat",
        },
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
