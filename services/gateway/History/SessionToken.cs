using System.Buffers.Text;
using System.Security.Cryptography;

namespace ChatPlatform.Gateway.History;

/// <summary>
/// A connection's resume token, <c>{connection id}.{secret}</c>: the id says which session, the
/// secret (128 random bits, base64url) proves the holder got it in that connection's
/// <c>welcome</c>. Only the secret's SHA-256 is stored, and compared in constant time.
/// </summary>
internal sealed record SessionToken(string ConnectionId, string Secret)
{
    private const int SecretBytes = 16;

    public static SessionToken New(string connectionId) =>
        new(connectionId, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes)));

    public static SessionToken? Parse(string? value)
    {
        var dot = value?.IndexOf('.') ?? -1;
        if (value is null || dot != 16 || value.AsSpan(0, dot).ContainsAnyExcept("0123456789abcdef") || value.Length - dot - 1 != Base64Url.GetEncodedLength(SecretBytes))
        {
            return null;
        }

        var secret = value[(dot + 1)..];
        return Base64Url.IsValid(secret) ? new SessionToken(value[..dot], secret) : null;
    }

    /// <summary>What the session hash keeps of the secret.</summary>
    public string KeyHash() => Convert.ToHexStringLower(SHA256.HashData(Base64Url.DecodeFromChars(Secret)));

    public bool Matches(string keyHash) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(KeyHash()), System.Text.Encoding.ASCII.GetBytes(keyHash));

    public override string ToString() => ConnectionId + "." + Secret;
}
