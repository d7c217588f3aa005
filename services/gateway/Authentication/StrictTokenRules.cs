using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// What IdentityModel lets through in a correctly signed token and the gateway refuses:
/// <list type="bullet">
/// <item>a <c>crit</c> header (RFC 7515 section 4.1.11): it names extensions the recipient must
/// understand or refuse the token, and the gateway implements none;</item>
/// <item>a header parameter or claim given twice: IdentityModel takes the last one, another
/// parser may take the first, so the token can mean two things (RFC 7519 section 4 allows
/// refusing it);</item>
/// <item><c>exp</c>, <c>nbf</c> or <c>iat</c> that is not a JSON number: IdentityModel reads
/// <c>"exp":"1795319433"</c> as a time, but a NumericDate is a number.</item>
/// </list>
/// Checked after the signature, so only the issuer's tokens are parsed twice.
/// </summary>
internal static class StrictTokenRules
{
    private static readonly string[] NumericDateClaims = ["exp", "nbf", "iat"];

    /// <summary>Why <paramref name="token"/> is refused, or null if it is not.</summary>
    public static string? Violation(JsonWebToken token)
    {
        var header = Members(token.EncodedHeader, "header parameter", out var problem);
        if (problem is not null)
        {
            return problem;
        }

        if (header.TryGetValue("crit", out var critical))
        {
            return $"critical header extensions the gateway does not implement (crit: {critical.Text})";
        }

        var claims = Members(token.EncodedPayload, "claim", out problem);
        if (problem is not null)
        {
            return problem;
        }

        foreach (var name in NumericDateClaims)
        {
            if (claims.TryGetValue(name, out var value) && value.Type != JsonTokenType.Number)
            {
                return $"the '{name}' claim is not a number";
            }
        }

        return null;
    }

    /// <summary>The top-level members of a base64url-encoded JSON object, each with its value's type and, for strings and arrays of strings, its text.</summary>
    private static Dictionary<string, Member> Members(string encoded, string kind, out string? problem)
    {
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        problem = null;
        var reader = new Utf8JsonReader(Base64Url.DecodeFromChars(encoded));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = $"the token's {kind}s are not a JSON object";
            return members;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Unescaped, so "s\u0075b" and "sub" are the same name, as they are to IdentityModel.
            var name = reader.GetString()!;
            reader.Read();
            var member = new Member(reader.TokenType, Text(ref reader));
            if (!members.TryAdd(name, member))
            {
                problem = $"duplicate {kind} '{name}'";
                return members;
            }
        }

        return members;
    }

    /// <summary>A string's value, or an array's strings joined; leaves the reader at the value's end.</summary>
    private static string Text(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString()!;
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.TokenType.ToString());
                    reader.Skip();
                }

                return string.Join(", ", items);
            default:
                var type = reader.TokenType;
                reader.Skip();
                return type.ToString();
        }
    }

    private readonly record struct Member(JsonTokenType Type, string Text);
}
