using System.Buffers;

namespace ChatPlatform.Gateway.Api;

/// <summary>What API key names, system senders and idempotency keys may look like (docs/api.md).</summary>
internal static class ApiNames
{
    public const int MaxNameLength = 64;

    public const int MaxIdempotencyKeyLength = 128;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>1-64 letters, digits, <c>-</c>, <c>_</c> and <c>.</c>: no <c>:</c>, so it can end a Redis key name.</summary>
    public static bool IsValidKeyName(ReadOnlySpan<char> name) => IsName(name);

    /// <summary>The <c>from</c> of a publish: 1-64 letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</summary>
    public static bool IsValidSystemSender(ReadOnlySpan<char> name) => IsName(name);

    /// <summary>1-128 printable ASCII characters.</summary>
    public static bool IsValidIdempotencyKey(ReadOnlySpan<char> key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && !key.ContainsAnyExceptInRange('!', '~');

    private static bool IsName(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= MaxNameLength && !name.ContainsAnyExcept(NameCharacters);
}
