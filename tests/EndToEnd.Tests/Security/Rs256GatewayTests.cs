using System.Net;
using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>
/// A gateway that checks RS256 signatures with a public key, in the same cluster as HS256 ones,
/// and the algorithm confusions an attacker would try on either.
/// </summary>
[Collection(AuthStackCollection.Name)]
public sealed class Rs256GatewayTests(AuthStackFixture fixture)
{
    [Fact]
    public async Task A_token_signed_with_the_private_key_connects_and_messages_a_user_on_an_HS256_gateway()
    {
        var user = Names.Unique("rsa");
        var recipient = Names.Unique("hmac");
        await using var there = await fixture.ConnectAsUserAsync(0, recipient);
        await using var client = await AuthStackFixture.ConnectAsync(fixture.Rs256GatewayUri(), Rs256Token(user));

        var ack = await client.SendAndWaitAsync(new { user = recipient }, "across algorithms");

        Assert.Equal(user, client.User);
        Assert.Equal("gateway-rs256", client.Gateway);
        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
        var message = await there.ExpectAsync("message");
        Assert.Equal(user, message.GetProperty("from").GetProperty("user").GetString());
    }

    [Fact]
    public async Task A_token_HMAC_signed_with_the_public_key_as_its_secret_is_refused()
    {
        var publicKey = Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(fixture.PublicKeyFile));
        var forged = TestTokens.SignHs256(publicKey, fixture.Tokens.Claims(Names.Unique("forger"), roles: ["admin"]));

        var status = await UpgradeRefusal.StatusAsync(fixture.Rs256GatewayUri($"?access_token={forged}"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_token_signed_with_the_HS256_secret_of_the_other_gateways_is_refused()
    {
        var status = await UpgradeRefusal.StatusAsync(fixture.Rs256GatewayUri($"?access_token={fixture.Tokens.Create(Names.Unique("hmac"))}"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task An_HS256_gateway_refuses_an_RS256_token()
    {
        var status = await UpgradeRefusal.StatusAsync(fixture.GatewayUri(0, $"?access_token={Rs256Token(Names.Unique("rsa"))}"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_token_signed_with_another_private_key_is_refused()
    {
        using var otherKey = RSA.Create(2048);
        var token = TestTokens.SignRs256(otherKey, fixture.Tokens.Claims(Names.Unique("stranger")));

        var status = await UpgradeRefusal.StatusAsync(fixture.Rs256GatewayUri($"?access_token={token}"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var status = await UpgradeRefusal.StatusAsync(fixture.Rs256GatewayUri($"?access_token={TestTokens.Unsigned(fixture.Tokens.Claims(Names.Unique("none")))}"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    private string Rs256Token(string user) => TestTokens.SignRs256(fixture.SigningKey, fixture.Tokens.Claims(user));
}
