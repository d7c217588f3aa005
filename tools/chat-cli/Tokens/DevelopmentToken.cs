using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Cli.Tokens;

/// <summary>
/// Mints the HS256 JWTs gateways accept: <c>sub</c> is the user, <c>roles</c> and <c>rooms</c>
/// are arrays (left out when empty), plus <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c> and <c>exp</c>.
/// </summary>
internal static class DevelopmentToken
{
    /// <summary>HS256 needs a key of at least 256 bits; gateways refuse shorter secrets too.</summary>
    public const int MinSecretBytes = 32;

    public static string Create(string user, IReadOnlyList<string> roles, IReadOnlyList<string> rooms, string secret, string issuer, string audience, TimeSpan lifetime, DateTime now)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        if (key.Length < MinSecretBytes)
        {
            throw new ArgumentException($"the secret is {key.Length} bytes of UTF-8; it must be at least {MinSecretBytes}");
        }

        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = user };
        if (roles.Count > 0)
        {
            claims["roles"] = roles.ToArray();
        }

        if (rooms.Count > 0)
        {
            claims["rooms"] = rooms.ToArray();
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
