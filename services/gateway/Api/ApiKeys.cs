using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// Which configured key, if any, a request carries in <c>Authorization: Bearer</c>. Keys are read
/// from the options monitor on every request, so a rotated secret applies when the configuration
/// reloads. Every configured key is compared, in constant time, whatever matched before: the
/// time taken says nothing about which key, or how much of one, was right.
/// </summary>
internal sealed class ApiKeys(IOptionsMonitor<ApiOptions> options)
{
    private const string Scheme = "Bearer ";

    /// <returns>The key's name, or null for no key, a malformed header or a key not configured.</returns>
    public string? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Hashing first makes every comparison the same length, so FixedTimeEquals leaks no length either.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString()));
        string? match = null;
        foreach (var (name, key) in options.CurrentValue.Keys)
        {
            // An empty key stands for none (a deployment may leave one unset); it never matches.
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(key))))
            {
                match = name;
            }
        }

        return match;
    }
}
