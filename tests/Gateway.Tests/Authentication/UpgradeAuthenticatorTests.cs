using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Gateway.Tests.Authentication;

/// <summary>
/// The upgrade request as the endpoint hands it over, with tokens minted here: what gets in, who
/// it is, what it may do, and that a refusal tells the client nothing.
/// </summary>
public sealed class UpgradeAuthenticatorTests : IDisposable
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "chat-gateway";

    private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _otherRsa = RSA.Create(2048);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("upgrade-auth-");

    [Fact]
    public async Task A_valid_token_in_the_authorization_header_is_accepted_as_its_subject()
    {
        var token = Mint(Hs256());

        var result = await AuthenticateAsync(Hs256Options(), bearer: token);

        var identity = AssertAccepted(result);
        Assert.Equal("alice", identity.UserId);
        Assert.True(identity.Grants.Authenticated);
        Assert.Empty(identity.Grants.Roles);
        Assert.Empty(identity.Grants.Rooms);
    }

    [Fact]
    public async Task A_valid_token_in_the_access_token_query_parameter_is_accepted()
    {
        var token = Mint(Hs256(), claims: new() { ["sub"] = "bob" });

        var result = await AuthenticateAsync(Hs256Options(), query: $"?access_token={Uri.EscapeDataString(token)}");

        Assert.Equal("bob", AssertAccepted(result).UserId);
    }

    [Fact]
    public async Task The_authorization_header_wins_over_the_query_string()
    {
        var header = Mint(Hs256(), claims: new() { ["sub"] = "alice" });
        var query = Mint(Hs256(), claims: new() { ["sub"] = "bob" });

        var result = await AuthenticateAsync(Hs256Options(), bearer: header, query: $"?access_token={query}&user=carol");

        Assert.Equal("alice", AssertAccepted(result).UserId);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var now = DateTime.UtcNow;
        var token = Mint(Hs256(), descriptor =>
        {
            descriptor.IssuedAt = now.AddMinutes(-10);
            descriptor.NotBefore = now.AddMinutes(-10);
            descriptor.Expires = now.AddMinutes(-2);
        });

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: token));
    }

    [Fact]
    public async Task A_token_not_yet_valid_beyond_the_clock_skew_is_refused()
    {
        var now = DateTime.UtcNow;
        var token = Mint(Hs256(), descriptor =>
        {
            descriptor.IssuedAt = now;
            descriptor.NotBefore = now.AddMinutes(2);
            descriptor.Expires = now.AddMinutes(10);
        });

        AssertRefused(await AuthenticateAsync(Hs256Options(jwt => jwt.ClockSkew = TimeSpan.FromSeconds(30)), bearer: token));
    }

    [Fact]
    public async Task Token_times_within_the_clock_skew_are_accepted()
    {
        var now = DateTime.UtcNow;
        var options = Hs256Options(jwt => jwt.ClockSkew = TimeSpan.FromSeconds(30));
        var expiredWithinSkew = Mint(Hs256(), descriptor =>
        {
            descriptor.IssuedAt = now.AddMinutes(-5);
            descriptor.NotBefore = now.AddMinutes(-5);
            descriptor.Expires = now.AddSeconds(-10);
        });
        var validSoonWithinSkew = Mint(Hs256(), descriptor =>
        {
            descriptor.IssuedAt = now;
            descriptor.NotBefore = now.AddSeconds(10);
            descriptor.Expires = now.AddMinutes(5);
        });

        AssertAccepted(await AuthenticateAsync(options, bearer: expiredWithinSkew));
        AssertAccepted(await AuthenticateAsync(options, bearer: validSoonWithinSkew));
    }

    [Fact]
    public async Task With_no_clock_skew_a_token_expired_a_few_seconds_ago_is_refused()
    {
        var now = DateTime.UtcNow;
        var token = Mint(Hs256(), descriptor =>
        {
            descriptor.IssuedAt = now.AddMinutes(-5);
            descriptor.NotBefore = now.AddMinutes(-5);
            descriptor.Expires = now.AddSeconds(-3);
        });

        AssertRefused(await AuthenticateAsync(Hs256Options(jwt => jwt.ClockSkew = TimeSpan.Zero), bearer: token));
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused()
    {
        var other = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)), SecurityAlgorithms.HmacSha256);

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: Mint(other)));
    }

    [Fact]
    public async Task A_token_whose_signature_was_tampered_with_is_refused()
    {
        var token = Mint(Hs256());
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.DecodeBytes(parts[1]))!;
        payload["sub"] = JsonSerializer.SerializeToElement("mallory");
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(payload))}.{parts[2]}";

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: forged));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var token = Mint(Hs256(), descriptor => descriptor.Issuer = "https://elsewhere.example");

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: token));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var token = Mint(Hs256(), descriptor => descriptor.Audience = "another-service");

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: token));
    }

    [Fact]
    public async Task A_token_with_no_issuer_or_no_audience_is_refused()
    {
        var noIssuer = Mint(Hs256(), descriptor => descriptor.Issuer = null);
        var noAudience = Mint(Hs256(), descriptor => descriptor.Audience = null);

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: noIssuer));
        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: noAudience));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    public async Task An_unsigned_token_is_refused(string configured)
    {
        var options = configured == "HS256" ? Hs256Options() : Rs256PemOptions();
        var now = DateTimeOffset.UtcNow;
        var header = """{"alg":"none","typ":"JWT"}""";
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = "mallory",
            ["roles"] = new[] { "admin" },
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        });
        var unsigned = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}.";

        AssertRefused(await AuthenticateAsync(options, bearer: unsigned));
        AssertRefused(await AuthenticateAsync(options, query: $"?access_token={unsigned}"));
    }

    [Fact]
    public async Task An_RS256_gateway_refuses_a_token_HMAC_signed_with_its_public_key()
    {
        // The classic confusion: the attacker knows the public key and uses it as an HMAC secret.
        var options = Rs256PemOptions();
        var pem = File.ReadAllText(options.Jwt.PublicKeyFile!);
        var withPemText = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(pem)), SecurityAlgorithms.HmacSha256);
        var withKeyBytes = new SigningCredentials(new SymmetricSecurityKey(_rsa.ExportSubjectPublicKeyInfo()), SecurityAlgorithms.HmacSha256);

        AssertRefused(await AuthenticateAsync(options, bearer: Mint(withPemText)));
        AssertRefused(await AuthenticateAsync(options, bearer: Mint(withKeyBytes)));
    }

    [Fact]
    public async Task An_HS256_gateway_refuses_an_RS256_token()
    {
        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: Mint(Rs256(_rsa))));
    }

    [Fact]
    public async Task An_HS256_gateway_refuses_an_HS512_token_signed_with_its_own_secret()
    {
        // Right key, other algorithm: only the configured one is accepted.
        var hs512 = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_secret)), SecurityAlgorithms.HmacSha512);

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: Mint(hs512)));
    }

    [Fact]
    public async Task An_RS256_gateway_with_a_PEM_public_key_accepts_tokens_signed_with_the_private_key_only()
    {
        var options = Rs256PemOptions();

        Assert.Equal("alice", AssertAccepted(await AuthenticateAsync(options, bearer: Mint(Rs256(_rsa)))).UserId);
        AssertRefused(await AuthenticateAsync(options, bearer: Mint(Rs256(_otherRsa))));
    }

    [Fact]
    public async Task An_RS256_gateway_with_a_key_set_accepts_a_token_signed_by_any_of_its_keys()
    {
        var jwks = Path.Combine(_directory.FullName, "jwks.json");
        File.WriteAllText(jwks, JsonSerializer.Serialize(new { keys = new[] { Jwk(_otherRsa, "first"), Jwk(_rsa, "second") } }));
        var options = new AuthOptions { Jwt = new JwtOptions { Algorithm = "RS256", JwksFile = jwks, Issuer = Issuer, Audience = Audience } };

        var bySecond = await AuthenticateAsync(options, bearer: Mint(Rs256(_rsa, "second")));
        var byFirst = await AuthenticateAsync(options, bearer: Mint(Rs256(_otherRsa, "first")));

        Assert.Equal("alice", AssertAccepted(bySecond).UserId);
        Assert.Equal("alice", AssertAccepted(byFirst).UserId);
        using var stranger = RSA.Create(2048);
        AssertRefused(await AuthenticateAsync(options, bearer: Mint(Rs256(stranger, "second"))));
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public async Task A_key_file_that_holds_no_key_stops_the_start_instead_of_failing_every_upgrade(string content)
    {
        var pem = Path.Combine(_directory.FullName, "broken.pem");
        File.WriteAllText(pem, content);
        var options = new AuthOptions { Jwt = new JwtOptions { Algorithm = "RS256", PublicKeyFile = pem, Issuer = Issuer, Audience = Audience } };

        await Assert.ThrowsAnyAsync<Exception>(() => UpgradeAuthenticationHost.StartAsync(options));
    }

    [Fact]
    public async Task A_token_without_an_expiry_is_refused()
    {
        var token = Mint(Hs256(), descriptor =>
        {
            descriptor.IssuedAt = DateTime.UtcNow;
            descriptor.NotBefore = DateTime.UtcNow;
            descriptor.Expires = null;
        }, defaultTimes: false);
        Assert.DoesNotContain("\"exp\"", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1])));

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alice smith")]
    [InlineData("alice\n")]
    public async Task A_token_without_a_usable_subject_is_refused(string? subject)
    {
        var claims = new Dictionary<string, object>();
        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        var token = Mint(Hs256(), claims: claims);

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: token));
    }

    [Fact]
    public async Task A_subject_longer_than_a_user_id_may_be_is_refused()
    {
        var token = Mint(Hs256(), claims: new() { ["sub"] = new string('a', 129) });

        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: token));
    }

    [Fact]
    public async Task A_subject_in_the_shape_identity_providers_use_is_accepted_as_it_is()
    {
        var token = Mint(Hs256(), claims: new() { ["sub"] = "auth0|5f7c1e2d@example.com" });

        Assert.Equal("auth0|5f7c1e2d@example.com", AssertAccepted(await AuthenticateAsync(Hs256Options(), bearer: token)).UserId);
    }

    [Fact]
    public async Task The_user_claim_can_be_configured()
    {
        var options = Hs256Options(jwt => jwt.UserClaim = "preferred_username");
        var token = Mint(Hs256(), claims: new() { ["sub"] = "id-123", ["preferred_username"] = "alice" });
        var withoutIt = Mint(Hs256(), claims: new() { ["sub"] = "id-123" });

        Assert.Equal("alice", AssertAccepted(await AuthenticateAsync(options, bearer: token)).UserId);
        AssertRefused(await AuthenticateAsync(options, bearer: withoutIt));
    }

    [Fact]
    public async Task Roles_and_rooms_given_as_arrays_become_the_connections_grants()
    {
        var token = Mint(Hs256(), claims: new()
        {
            ["sub"] = "alice",
            ["roles"] = new[] { "admin", "moderator" },
            ["rooms"] = new[] { "private:team-a", "private:team-b" },
        });

        var grants = AssertAccepted(await AuthenticateAsync(Hs256Options(), bearer: token)).Grants;

        Assert.Equal(["admin", "moderator"], grants.Roles.Order());
        Assert.Equal(["private:team-a", "private:team-b"], grants.Rooms.Order());
    }

    [Fact]
    public async Task Roles_and_rooms_given_as_single_strings_become_the_connections_grants()
    {
        var token = Mint(Hs256(), claims: new() { ["sub"] = "alice", ["roles"] = "admin", ["rooms"] = "private:team-a" });

        var grants = AssertAccepted(await AuthenticateAsync(Hs256Options(), bearer: token)).Grants;

        Assert.Equal(["admin"], grants.Roles);
        Assert.Equal(["private:team-a"], grants.Rooms);
    }

    [Fact]
    public async Task The_roles_and_rooms_claims_can_be_configured()
    {
        var options = Hs256Options(jwt =>
        {
            jwt.RolesClaim = "groups";
            jwt.RoomsClaim = "chat_rooms";
        });
        var token = Mint(Hs256(), claims: new()
        {
            ["sub"] = "alice",
            ["roles"] = "ignored",
            ["rooms"] = "private:ignored",
            ["groups"] = new[] { "admin" },
            ["chat_rooms"] = new[] { "private:team-a" },
        });

        var grants = AssertAccepted(await AuthenticateAsync(options, bearer: token)).Grants;

        Assert.Equal(["admin"], grants.Roles);
        Assert.Equal(["private:team-a"], grants.Rooms);
    }

    [Fact]
    public async Task The_grants_end_when_the_token_expires()
    {
        var expires = DateTime.UtcNow.AddMinutes(7);
        var token = Mint(Hs256(), descriptor => descriptor.Expires = expires);

        var grants = AssertAccepted(await AuthenticateAsync(Hs256Options(), bearer: token)).Grants;

        // A JWT holds whole seconds.
        var expected = DateTimeOffset.FromUnixTimeSeconds(new DateTimeOffset(expires).ToUnixTimeSeconds());
        Assert.Equal(expected, grants.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, grants.ExpiresAt!.Value.Offset);
    }

    [Fact]
    public async Task Without_a_token_and_without_development_users_the_request_is_unauthorized()
    {
        AssertRefused(await AuthenticateAsync(Hs256Options()));
        AssertRefused(await AuthenticateAsync(Hs256Options(), query: "?user=alice"));
        AssertRefused(await AuthenticateAsync(Hs256Options(), query: "?access_token="));
        AssertRefused(await AuthenticateAsync(Hs256Options(), headers: new() { ["Authorization"] = "Basic YWxpY2U6c2VjcmV0" }));
    }

    [Fact]
    public async Task An_empty_bearer_token_is_unauthorized_even_with_development_users()
    {
        var options = Hs256Options();
        options.AllowDevelopmentUsers = true;

        AssertRefused(await AuthenticateAsync(options, headers: new() { ["Authorization"] = "Bearer " }, query: "?user=alice"));
    }

    [Fact]
    public async Task With_development_users_a_user_name_in_the_query_is_accepted_with_no_grants()
    {
        var options = new AuthOptions { AllowDevelopmentUsers = true };

        var identity = AssertAccepted(await AuthenticateAsync(options, query: "?user=alice"));

        Assert.Equal("alice", identity.UserId);
        Assert.Same(ConnectionGrants.None, identity.Grants);
        Assert.False(identity.Grants.Authenticated);
        Assert.Empty(identity.Grants.Roles);
        Assert.Empty(identity.Grants.Rooms);
        Assert.Null(identity.Grants.ExpiresAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?user=")]
    [InlineData("?user=alice&user=bob")]
    [InlineData("?user=alice%20smith")]
    public async Task With_development_users_a_missing_or_bad_user_name_is_a_bad_request(string query)
    {
        var result = await AuthenticateAsync(new AuthOptions { AllowDevelopmentUsers = true }, query: query);

        Assert.Null(result.Identity);
        Assert.Equal(StatusCodes.Status400BadRequest, result.Status);
    }

    [Fact]
    public async Task With_development_users_and_tokens_both_are_accepted_and_only_the_token_carries_grants()
    {
        var options = Hs256Options();
        options.AllowDevelopmentUsers = true;
        var token = Mint(Hs256(), claims: new() { ["sub"] = "alice", ["roles"] = "admin" });

        var withToken = AssertAccepted(await AuthenticateAsync(options, bearer: token));
        var withName = AssertAccepted(await AuthenticateAsync(options, query: "?user=bob"));

        Assert.True(withToken.Grants.Authenticated);
        Assert.Contains("admin", withToken.Grants.Roles);
        Assert.Equal("bob", withName.UserId);
        Assert.False(withName.Grants.Authenticated);
    }

    [Fact]
    public async Task A_token_given_while_no_token_is_configured_is_unauthorized_not_ignored()
    {
        var options = new AuthOptions { AllowDevelopmentUsers = true };
        var token = Mint(Hs256());

        AssertRefused(await AuthenticateAsync(options, bearer: token, query: "?user=alice"));
        AssertRefused(await AuthenticateAsync(options, query: $"?access_token={token}&user=alice"));
    }

    [Fact]
    public async Task Garbage_instead_of_a_token_is_unauthorized()
    {
        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: "not-a-jwt"));
        AssertRefused(await AuthenticateAsync(Hs256Options(), bearer: "a.b.c"));
        AssertRefused(await AuthenticateAsync(Hs256Options(), query: "?access_token=%7B%7D"));
    }

    [Fact]
    public async Task Every_refusal_tells_the_client_unauthorized_and_keeps_the_reason_for_the_log()
    {
        var now = DateTime.UtcNow;
        var options = Hs256Options();
        var refusals = new[]
        {
            await AuthenticateAsync(options),
            await AuthenticateAsync(options, bearer: "not-a-jwt"),
            await AuthenticateAsync(options, bearer: Mint(Hs256(), d => d.Issuer = "https://elsewhere.example")),
            await AuthenticateAsync(options, bearer: Mint(Hs256(), d => d.Audience = "elsewhere")),
            await AuthenticateAsync(options, bearer: Mint(Hs256(), d => (d.NotBefore, d.Expires) = (now.AddMinutes(-9), now.AddMinutes(-5)))),
            await AuthenticateAsync(options, bearer: Mint(Rs256(_rsa))),
            await AuthenticateAsync(options, bearer: Mint(Hs256(), claims: new() { ["sub"] = "a b" })),
            await AuthenticateAsync(new AuthOptions { AllowDevelopmentUsers = true }, bearer: Mint(Hs256())),
        };

        foreach (var refusal in refusals)
        {
            AssertRefused(refusal);
        }

        // The reasons differ, so the log can tell the cases apart.
        Assert.True(refusals.Select(r => r.Reason).Distinct().Count() > 3, string.Join(" | ", refusals.Select(r => r.Reason)));
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _otherRsa.Dispose();
        _directory.Delete(recursive: true);
    }

    private static UpgradeIdentity AssertAccepted(UpgradeAuthentication result)
    {
        Assert.True(result.Identity is not null, $"refused: {result.Status} {result.Reason}");
        Assert.Equal(StatusCodes.Status101SwitchingProtocols, result.Status);
        return result.Identity;
    }

    private static void AssertRefused(UpgradeAuthentication result)
    {
        Assert.Null(result.Identity);
        Assert.Equal(StatusCodes.Status401Unauthorized, result.Status);
        Assert.Equal("unauthorized", result.ClientMessage);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    private static async Task<UpgradeAuthentication> AuthenticateAsync(
        AuthOptions options,
        string? bearer = null,
        string? query = null,
        Dictionary<string, string>? headers = null)
    {
        await using var host = await UpgradeAuthenticationHost.StartAsync(options);
        return await host.AuthenticateAsync(bearer, query, headers);
    }

    private AuthOptions Hs256Options(Action<JwtOptions>? change = null)
    {
        var jwt = new JwtOptions { Algorithm = "HS256", Secret = _secret, Issuer = Issuer, Audience = Audience };
        change?.Invoke(jwt);
        return new AuthOptions { Jwt = jwt };
    }

    private AuthOptions Rs256PemOptions()
    {
        var pem = Path.Combine(_directory.FullName, "public.pem");
        File.WriteAllText(pem, _rsa.ExportSubjectPublicKeyInfoPem());
        return new AuthOptions { Jwt = new JwtOptions { Algorithm = "RS256", PublicKeyFile = pem, Issuer = Issuer, Audience = Audience } };
    }

    private SigningCredentials Hs256() =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_secret)), SecurityAlgorithms.HmacSha256);

    private static SigningCredentials Rs256(RSA rsa, string? keyId = null) =>
        new(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);

    private static object Jwk(RSA rsa, string keyId)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            kty = "RSA",
            use = "sig",
            alg = "RS256",
            kid = keyId,
            n = Base64UrlEncoder.Encode(parameters.Modulus),
            e = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>A token for alice from the configured issuer to the configured audience, valid for ten minutes, unless changed.</summary>
    private static string Mint(
        SigningCredentials credentials,
        Action<SecurityTokenDescriptor>? change = null,
        Dictionary<string, object>? claims = null,
        bool defaultTimes = true)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-1),
            Expires = now.AddMinutes(10),
            Claims = claims ?? new Dictionary<string, object> { ["sub"] = "alice" },
            SigningCredentials = credentials,
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = defaultTimes }.CreateToken(descriptor);
    }
}
