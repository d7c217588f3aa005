using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.Testing;

/// <summary>
/// Mints JSON Web Tokens for tests, by hand so that a test can also mint the malformed ones an
/// attacker would: any header, any claims, signed with HS256 or RS256, or not signed at all.
/// An instance holds one issuer's settings and makes valid tokens for it.
/// </summary>
public sealed class TestTokens(string issuer, string audience, string secret)
{
    public string Issuer { get; } = issuer;

    public string Audience { get; } = audience;

    /// <summary>The HS256 secret, as the gateway is configured with it (UTF-8 text).</summary>
    public string Secret { get; } = secret;

    /// <summary>A fresh random secret of 64 characters (48 random bytes).</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>A valid HS256 token for <paramref name="subject"/>, with roles and rooms if given.</summary>
    public string Create(string subject, TimeSpan? lifetime = null, IEnumerable<string>? roles = null, IEnumerable<string>? rooms = null) =>
        SignHs256(Encoding.UTF8.GetBytes(Secret), Claims(subject, lifetime, roles, rooms));

    /// <summary>A token for <paramref name="subject"/> that expired an hour ago, past any gateway's clock skew.</summary>
    public string CreateExpired(string subject)
    {
        var claims = Claims(subject);
        var issued = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        claims["iat"] = issued;
        claims["nbf"] = issued;
        claims["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        return SignHs256(Encoding.UTF8.GetBytes(Secret), claims);
    }

    /// <summary>
    /// The claims of a valid token: this issuer, this audience, issued now, valid from now for
    /// <paramref name="lifetime"/> (ten minutes unless given). Change the dictionary to spoil it.
    /// </summary>
    public Dictionary<string, object?> Claims(string subject, TimeSpan? lifetime = null, IEnumerable<string>? roles = null, IEnumerable<string>? rooms = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        };
        if (roles is not null)
        {
            claims["roles"] = roles.ToArray();
        }

        if (rooms is not null)
        {
            claims["rooms"] = rooms.ToArray();
        }

        return claims;
    }

    /// <summary>Signs <paramref name="claims"/> with HMAC-SHA256 under <paramref name="key"/>.</summary>
    public static string SignHs256(byte[] key, IReadOnlyDictionary<string, object?> claims, string? keyId = null)
    {
        var signingInput = SigningInput(Header("HS256", keyId), claims);
        return $"{signingInput}.{Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput)))}";
    }

    /// <summary>Signs <paramref name="claims"/> with RSASSA-PKCS1-v1_5 SHA-256 under <paramref name="key"/>'s private key.</summary>
    public static string SignRs256(RSA key, IReadOnlyDictionary<string, object?> claims, string? keyId = null)
    {
        var signingInput = SigningInput(Header("RS256", keyId), claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>
    /// Signs a header and claims written as JSON text, byte for byte as given, with HMAC-SHA256:
    /// for what a serializer would not write, such as a claim given twice or <c>"exp":"1795319433"</c>.
    /// </summary>
    public static string SignHs256Json(byte[] key, string headerJson, string claimsJson)
    {
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(headerJson))}.{Base64Url(Encoding.UTF8.GetBytes(claimsJson))}";
        return $"{signingInput}.{Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput)))}";
    }

    /// <summary>As <see cref="SignHs256Json"/>, with RSASSA-PKCS1-v1_5 SHA-256.</summary>
    public static string SignRs256Json(RSA key, string headerJson, string claimsJson)
    {
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(headerJson))}.{Base64Url(Encoding.UTF8.GetBytes(claimsJson))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>An unsecured token (<c>"alg":"none"</c>) with an empty signature, as RFC 7519 section 6 defines it.</summary>
    public static string Unsigned(IReadOnlyDictionary<string, object?> claims) =>
        $"{SigningInput(new Dictionary<string, object?> { ["alg"] = "none", ["typ"] = "JWT" }, claims)}.";

    /// <summary>A JSON Web Key Set holding the public halves of <paramref name="keys"/>.</summary>
    public static string KeySet(params (RSA Key, string KeyId)[] keys) =>
        JsonSerializer.Serialize(new
        {
            keys = keys.Select(entry =>
            {
                var parameters = entry.Key.ExportParameters(includePrivateParameters: false);
                return new { kty = "RSA", use = "sig", alg = "RS256", kid = entry.KeyId, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) };
            }),
        });

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Dictionary<string, object?> Header(string algorithm, string? keyId)
    {
        var header = new Dictionary<string, object?> { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (keyId is not null)
        {
            header["kid"] = keyId;
        }

        return header;
    }

    private static string SigningInput(IReadOnlyDictionary<string, object?> header, IReadOnlyDictionary<string, object?> claims) =>
        $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
}
