using System.Text;
using System.Text.Json;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary><c>chat token</c> run as a process: what it mints, and that a gateway takes it.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class TokenCommandTests(ClientStackFixture fixture)
{
    private const string Secret = "a-secret-of-at-least-32-bytes-for-hs256";

    [Fact]
    public async Task It_prints_an_hs256_jwt_with_the_claims_asked_for_and_nothing_else()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var run = await ChatCli.RunAsync("cli-token", [
            "token", "--user", "alice", "--role", "admin", "--role", "ops", "--room", "private:staff",
            "--lifetime", "1h30m", "--secret", Secret, "--issuer", "https://issuer.example/", "--audience", "chatplatform"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var token = Assert.Single(run.Stdout);
        var validated = await Validate(token, Secret, "https://issuer.example/", "chatplatform");
        Assert.True(validated.IsValid, validated.Exception?.Message);

        var jwt = new JsonWebToken(token);
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("alice", jwt.Subject);
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        var claims = payload.RootElement;
        Assert.Equal(["admin", "ops"], claims.GetProperty("roles").EnumerateArray().Select(role => role.GetString()));
        Assert.Equal(["private:staff"], claims.GetProperty("rooms").EnumerateArray().Select(room => room.GetString()));
        Assert.Equal(5400, claims.GetProperty("exp").GetInt64() - claims.GetProperty("nbf").GetInt64());
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("iat").GetInt64()), before, DateTimeOffset.UtcNow.AddSeconds(2));
    }

    [Fact]
    public async Task It_reads_the_key_issuer_and_audience_from_the_environment_and_leaves_out_empty_claims()
    {
        var run = await ChatCli.RunAsync("cli-token", ["token", "--user", "bob"], Environment(Secret, "local", "chat"));

        Assert.Equal(0, run.ExitCode);
        var token = Assert.Single(run.Stdout);
        Assert.True((await Validate(token, Secret, "local", "chat")).IsValid);
        Assert.False((await Validate(token, Secret + "x", "local", "chat")).IsValid);
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(new JsonWebToken(token).EncodedPayload));
        Assert.False(payload.RootElement.TryGetProperty("roles", out _));
        Assert.False(payload.RootElement.TryGetProperty("rooms", out _));
        Assert.Equal(3600, payload.RootElement.GetProperty("exp").GetInt64() - payload.RootElement.GetProperty("nbf").GetInt64());
    }

    [Theory]
    [InlineData("too-short", "local", "1h", "at least 32")]
    [InlineData(Secret, "local", "soon", "--lifetime must be a positive duration")]
    [InlineData(Secret, "local", "0s", "--lifetime must be a positive duration")]
    [InlineData(Secret, "local", "10", "with units")]
    [InlineData(Secret, "", "1h", "give --secret, --issuer and --audience")]
    public async Task It_refuses_what_would_make_a_bad_token_and_prints_no_token(string secret, string issuer, string lifetime, string error)
    {
        var run = await ChatCli.RunAsync("cli-token", ["token", "--user", "alice", "--secret", secret, "--issuer", issuer, "--audience", "chat", "--lifetime", lifetime]);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains(run.Stderr, line => line.Contains(error));
    }

    [Fact]
    public async Task A_minted_token_connects_the_cli_to_the_gateway_as_its_user_with_its_rooms()
    {
        var user = Names.Unique("alice");
        var room = $"private:{Names.Unique("staff")}";
        var minted = await ChatCli.RunAsync(
            "cli-token",
            ["token", "--user", user, "--room", room, "--lifetime", "5m"],
            Environment(fixture.Tokens.Secret, fixture.Tokens.Issuer, fixture.Tokens.Audience));
        Assert.Equal(0, minted.ExitCode);
        var token = Assert.Single(minted.Stdout);

        // Once with --token, once with CHAT_TOKEN.
        await using var withOption = ChatCli.Start("cli-token-connect", ["script", "--url", fixture.GatewayUrl(0).ToString(), "--token", token]);
        await using var withVariable = ChatCli.Start(
            "cli-token-connect",
            ["script", "--url", fixture.GatewayUrl(1).ToString()],
            new Dictionary<string, string?> { ["CHAT_TOKEN"] = token });

        foreach (var cli in new[] { withOption, withVariable })
        {
            Assert.Equal(user, (await cli.ExpectAsync("connected")).GetProperty("user").GetString());
            await cli.WriteLineAsync($"/join {room}");
            var joined = await cli.AnswerToAsync(1);
            Assert.Equal("ack", joined.GetProperty("event").GetString());
            Assert.Equal(room, joined.GetProperty("room").GetString());
        }

        await withOption.WriteLineAsync($"/whois {user}");
        Assert.Equal(2, (await withOption.AnswerToAsync(2)).GetProperty("connections").GetInt32());
    }

    private static Dictionary<string, string?> Environment(string secret, string issuer, string audience) => new()
    {
        ["CHAT_JWT_SECRET"] = secret,
        ["CHAT_JWT_ISSUER"] = issuer,
        ["CHAT_JWT_AUDIENCE"] = audience,
    };

    private static Task<TokenValidationResult> Validate(string token, string secret, string issuer, string audience) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
}
