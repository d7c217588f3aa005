using System.Net;
using System.Text;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>
/// What a client sends that reaches a gateway's log: a terminal escape sequence or a line break in
/// it must arrive escaped, not colour, rewrite or forge lines of the log an operator reads.
/// </summary>
[Collection(AuthStackCollection.Name)]
public sealed class LogEscapingTests(AuthStackFixture fixture)
{
    private const char Escape = '\u001b';

    [Fact]
    public async Task A_refused_origin_holding_an_escape_sequence_is_logged_escaped()
    {
        var gateway = fixture.Stack.Gateways[0];
        var marker = Names.Unique("evil");
        var position = gateway.Process.LogPosition;

        var (status, _, _) = await UpgradeRefusal.ResponseAsync(
            fixture.GatewayUri(0),
            new Dictionary<string, string> { ["Origin"] = $"https://{marker}.example{Escape}[31m{Escape}[2K" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var line = await LoggedAsync(gateway, position, marker);
        Assert.Contains("[4008]", line);
        Assert.Contains($@"https://{marker}.example\u001B[31m\u001B[2K", line);
        Assert.DoesNotContain(Escape, line);
    }

    [Fact]
    public async Task A_refusal_reason_holding_an_escape_sequence_is_logged_escaped()
    {
        // The issuer's own token, with a claim named like an escape sequence given twice: the
        // reason for the refusal names the claim.
        var gateway = fixture.Stack.Gateways[1];
        var marker = Names.Unique("claim");
        var claim = $"{marker}{Escape}[8m";
        var claims = System.Text.Json.JsonSerializer.Serialize(fixture.Tokens.Claims(Names.Unique("mallory"))).TrimEnd('}');
        var escapedName = System.Text.Json.JsonEncodedText.Encode(claim).ToString();
        var token = TestTokens.SignHs256Json(
            Encoding.UTF8.GetBytes(fixture.Tokens.Secret),
            """{"alg":"HS256","typ":"JWT"}""",
            $"{claims},\"{escapedName}\":1,\"{escapedName}\":2}}");
        var position = gateway.Process.LogPosition;

        var (status, _, body) = await UpgradeRefusal.ResponseAsync(
            fixture.GatewayUri(1),
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.Trim());
        var line = await LoggedAsync(gateway, position, marker);
        Assert.Contains("[4007]", line);
        Assert.Contains($@"duplicate claim '{marker}\u001B[8m'", line);
        Assert.DoesNotContain(Escape, line);
    }

    /// <summary>The log line naming <paramref name="marker"/>, written after <paramref name="position"/>.</summary>
    private static async Task<string> LoggedAsync(ServiceProcess gateway, long position, string marker)
    {
        string? found = null;
        await Eventually.HoldsAsync(
            () => Task.FromResult((found = gateway.Process.LinesSince(position).FirstOrDefault(line => line.Contains(marker, StringComparison.Ordinal))) is not null),
            TimeSpan.FromSeconds(10),
            $"{gateway.Name} logged the refusal");
        return found!;
    }
}
