using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>Who gets a connection, over real sockets to gateways that require tokens.</summary>
[Collection(AuthStackCollection.Name)]
public sealed class TokenAuthenticationTests(AuthStackFixture fixture)
{
    public static TheoryData<string> BadTokens =>
    [
        "expired", "not yet valid", "wrong signature", "wrong issuer", "wrong audience", "alg none", "no expiry", "no subject",
        "crit header", "exp as a string", "nbf as a string", "subject twice", "invisible subject", "right-to-left override in subject",
    ];

    [Fact]
    public async Task A_valid_token_in_the_authorization_header_connects_as_its_subject()
    {
        var user = Names.Unique("alice");

        await using var client = await fixture.ConnectAsync(0, fixture.Tokens.Create(user));

        Assert.Equal(user, client.User);
        Assert.Equal("gateway-1", client.Gateway);
    }

    [Fact]
    public async Task A_valid_token_in_the_access_token_query_parameter_connects_as_its_subject()
    {
        var user = Names.Unique("bob");
        var token = fixture.Tokens.Create(user);

        await using var client = await TestClient.ConnectAsync(fixture.GatewayUri(1, $"?access_token={token}"));

        Assert.Equal(user, client.User);
        Assert.Equal("gateway-2", client.Gateway);
    }

    [Fact]
    public async Task A_subject_in_an_identity_providers_shape_is_the_user_id_and_can_be_messaged()
    {
        var subject = $"auth0|{Guid.NewGuid():N}";
        var sender = Names.Unique("sender");
        await using var recipient = await fixture.ConnectAsync(1, fixture.Tokens.Create(subject));
        await using var client = await fixture.ConnectAsync(0, fixture.Tokens.Create(sender));

        var ack = await client.SendAndWaitAsync(new { user = subject }, "hi");

        Assert.Equal(subject, recipient.User);
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        var message = await recipient.ExpectAsync("message");
        Assert.Equal(sender, message.GetProperty("from").GetProperty("user").GetString());
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_refused_with_401_in_the_header_and_in_the_query(string kind)
    {
        var token = BadToken(kind);

        var inHeader = await UpgradeRefusal.StatusAsync(fixture.GatewayUri(0), options => options.SetRequestHeader("Authorization", $"Bearer {token}"));
        var inQuery = await UpgradeRefusal.StatusAsync(fixture.GatewayUri(1, $"?access_token={token}"));

        Assert.Equal(HttpStatusCode.Unauthorized, inHeader);
        Assert.Equal(HttpStatusCode.Unauthorized, inQuery);
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_refusal_says_unauthorized_and_nothing_about_why(string kind)
    {
        var (status, headers, body) = await UpgradeRefusal.ResponseAsync(
            fixture.GatewayUri(0),
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {BadToken(kind)}" });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.Trim());

        // No challenge either: a WWW-Authenticate header could carry the handler's error details.
        Assert.False(headers.Contains("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?user=alice")]
    [InlineData("?user=alice&access_token=")]
    public async Task Without_a_token_the_upgrade_is_refused_even_with_a_user_name(string query)
    {
        var status = await UpgradeRefusal.StatusAsync(fixture.GatewayUri(0, query));
        var (plainStatus, _, body) = await UpgradeRefusal.ResponseAsync(fixture.GatewayUri(1, query));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.Unauthorized, plainStatus);
        Assert.Equal("unauthorized", body.Trim());
    }

    [Fact]
    public async Task A_connection_works_until_its_token_expires_and_is_then_closed_with_1008()
    {
        var user = Names.Unique("expiring");
        var claims = fixture.Tokens.Claims(user, lifetime: TimeSpan.FromSeconds(3));
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((long)claims["exp"]!);
        await using var client = await fixture.ConnectAsync(0, TestTokens.SignHs256(Encoding.UTF8.GetBytes(fixture.Tokens.Secret), claims));

        // While the token is valid, the connection is used like any other.
        var ack = await client.SendAndWaitAsync(new { user }, "to myself");
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal("to myself", (await client.ExpectAsync("message")).GetProperty("body").GetString());
        Assert.True(DateTimeOffset.UtcNow < expiresAt, "the token expired before the test could use the connection");

        await client.Closed.WaitAsync(TimeSpan.FromSeconds(15));

        var closedAt = DateTimeOffset.UtcNow;
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal("token expired; reconnect with a fresh token", client.CloseStatusDescription);
        Assert.True(closedAt >= expiresAt - TimeSpan.FromMilliseconds(500), $"closed at {closedAt:O}, before the token expired at {expiresAt:O}");
        Assert.True(closedAt <= expiresAt + TimeSpan.FromSeconds(5), $"closed at {closedAt:O}, long after the token expired at {expiresAt:O}");
    }

    [Fact]
    public async Task After_its_token_expired_a_user_reconnects_with_a_fresh_one()
    {
        var user = Names.Unique("renewed");
        var stale = fixture.Tokens.Claims(user);
        stale["exp"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();
        stale["nbf"] = stale["iat"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();

        var refused = await UpgradeRefusal.StatusAsync(fixture.GatewayUri(0), Bearer(TestTokens.SignHs256(Encoding.UTF8.GetBytes(fixture.Tokens.Secret), stale)));
        await using var client = await fixture.ConnectAsync(0, fixture.Tokens.Create(user));

        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Equal(user, client.User);
    }

    private const string Header = """{"alg":"HS256","typ":"JWT"}""";

    private static string Json(Dictionary<string, object?> claims) => System.Text.Json.JsonSerializer.Serialize(claims);

    private static Action<ClientWebSocketOptions> Bearer(string token) =>
        options => options.SetRequestHeader("Authorization", $"Bearer {token}");

    private string BadToken(string kind)
    {
        var user = Names.Unique("mallory");
        var secret = Encoding.UTF8.GetBytes(fixture.Tokens.Secret);
        var claims = fixture.Tokens.Claims(user, roles: ["admin"]);
        var now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case "expired":
                claims["iat"] = claims["nbf"] = now.AddMinutes(-10).ToUnixTimeSeconds();
                claims["exp"] = now.AddSeconds(-5).ToUnixTimeSeconds();
                return TestTokens.SignHs256(secret, claims);
            case "not yet valid":
                claims["nbf"] = now.AddMinutes(1).ToUnixTimeSeconds();
                return TestTokens.SignHs256(secret, claims);
            case "wrong signature":
                return TestTokens.SignHs256(RandomNumberGenerator.GetBytes(48), claims);
            case "wrong issuer":
                claims["iss"] = "https://elsewhere.example";
                return TestTokens.SignHs256(secret, claims);
            case "wrong audience":
                claims["aud"] = "another-service";
                return TestTokens.SignHs256(secret, claims);
            case "alg none":
                return TestTokens.Unsigned(claims);
            case "no expiry":
                claims.Remove("exp");
                return TestTokens.SignHs256(secret, claims);
            case "no subject":
                claims.Remove("sub");
                return TestTokens.SignHs256(secret, claims);

            // Signed with the right secret, written by hand: what IdentityModel alone would accept.
            case "crit header":
                return TestTokens.SignHs256Json(secret, """{"alg":"HS256","typ":"JWT","crit":["urn:example:policy"],"urn:example:policy":"strict"}""", Json(claims));
            case "exp as a string":
                return TestTokens.SignHs256Json(secret, Header, Json(claims).Replace($"\"exp\":{claims["exp"]}", $"\"exp\":\"{claims["exp"]}\"", StringComparison.Ordinal));
            case "nbf as a string":
                return TestTokens.SignHs256Json(secret, Header, Json(claims).Replace($"\"nbf\":{claims["nbf"]}", $"\"nbf\":\"{claims["nbf"]}\"", StringComparison.Ordinal));
            case "subject twice":
                return TestTokens.SignHs256Json(secret, Header, Json(claims).TrimEnd('}') + $",\"sub\":\"{Names.Unique("admin")}\"}}");
            case "invisible subject":
                claims["sub"] = user + "\u200b";
                return TestTokens.SignHs256(secret, claims);
            case "right-to-left override in subject":
                claims["sub"] = "\u202e" + user;
                return TestTokens.SignHs256(secret, claims);
            default:
                throw new UnreachableException(kind);
        }
    }
}
