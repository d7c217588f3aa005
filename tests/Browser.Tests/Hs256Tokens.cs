using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.Browser.Tests;

/// <summary>
/// Signs HS256 JWTs the way an identity provider would, for a gateway configured with the same
/// secret, issuer and audience.
/// </summary>
internal sealed class Hs256Tokens(string secret, string issuer, string audience)
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""");

    /// <summary>A token for <paramref name="user"/>, valid from now for <paramref name="lifetime"/>, granting the private <paramref name="rooms"/>.</summary>
    public string Mint(string user, TimeSpan lifetime, params string[] rooms)
    {
        var now = DateTimeOffset.UtcNow;
        return Sign(user, now, now + lifetime, rooms);
    }

    /// <summary>A token that expired an hour ago (after the gateway's clock skew, too).</summary>
    public string MintExpired(string user)
    {
        var now = DateTimeOffset.UtcNow;
        return Sign(user, now.AddHours(-2), now.AddHours(-1), []);
    }

    private string Sign(string user, DateTimeOffset issuedAt, DateTimeOffset expires, string[] rooms)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
        };
        if (rooms.Length > 0)
        {
            claims["rooms"] = rooms;
        }

        var unsigned = $"{Base64Url(Header)}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(unsigned));
        return $"{unsigned}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
