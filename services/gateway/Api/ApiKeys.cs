using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// Which configured key, if any, a request carries in <c>Authorization: Bearer</c>. Keys come
/// from the options monitor, so a rotated secret applies when the configuration reloads; their
/// hashes are computed once per configuration. Every configured key is compared, in constant
/// time, whatever matched before: the time taken says nothing about which key, or how much of
/// one, was right.
/// </summary>
internal sealed class ApiKeys(IOptionsMonitor<ApiOptions> options)
{
    private const string Scheme = "Bearer ";

    // One object, replaced whole: a reader never sees one configuration's options with another's hashes.
    private HashedKeys? _hashed;

    /// <returns>The key's name, or null for no key, a malformed header or a key not configured.</returns>
    public string? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Hashing makes every comparison the same length, so FixedTimeEquals leaks no length either.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString()));
        string? match = null;
        foreach (var (name, hash) in Keys())
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                match = name;
            }
        }

        return match;
    }

    private (string Name, byte[] Hash)[] Keys()
    {
        var current = options.CurrentValue;
        var hashed = Volatile.Read(ref _hashed);
        if (hashed is null || !ReferenceEquals(hashed.Options, current))
        {
            // An empty key stands for none (a deployment may leave one unset): it is left out, so it never matches.
            hashed = new HashedKeys(current, [.. current.Keys
                .Where(key => !string.IsNullOrEmpty(key.Value))
                .Select(key => (key.Key, SHA256.HashData(Encoding.UTF8.GetBytes(key.Value))))]);
            Volatile.Write(ref _hashed, hashed);
        }

        return hashed.Keys;
    }

    private sealed record HashedKeys(ApiOptions Options, (string Name, byte[] Hash)[] Keys);
}
