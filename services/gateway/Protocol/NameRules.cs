using System.Buffers;
using System.Globalization;
using System.Text;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>What user ids, connection ids, room names and the server API's names may look like.</summary>
internal static class NameRules
{
    public const int MaxUserLength = 128;
    public const int MaxDevelopmentUserLength = 64;
    public const int MaxConnectionIdLength = 64;
    public const int MaxRoomLength = 128;

    /// <summary>
    /// A user id, as a token's subject gives it (<c>auth0|5f7c…</c>, an email address, a GUID):
    /// 1 to 128 characters with no spaces, control characters or invisible characters. Invisible
    /// means a Unicode format character (zero-width spaces and joiners, direction overrides and
    /// isolates, the byte-order mark, the soft hyphen, tags) or any other default-ignorable code
    /// point (variation selectors, Hangul fillers, the combining grapheme joiner): each would let
    /// two ids that look the same be different users, or make an id display as another.
    /// </summary>
    public static bool IsValidUser(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxUserLength)
        {
            return false;
        }

        while (!id.IsEmpty)
        {
            // An unpaired surrogate is not text.
            if (Rune.DecodeFromUtf16(id, out var rune, out var length) != OperationStatus.Done
                || Rune.IsControl(rune)
                || Rune.IsWhiteSpace(rune)
                || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
                || IsDefaultIgnorable(rune.Value))
            {
                return false;
            }

            id = id[length..];
        }

        return true;
    }

    /// <summary>A name a development user picks with <c>?user=</c>: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, 1 to 64 of them.</summary>
    public static bool IsValidDevelopmentUser(ReadOnlySpan<char> name) => IsValidName(name, MaxDevelopmentUserLength, allowColon: false);

    public static bool IsValidConnectionId(ReadOnlySpan<char> id) => IsValidName(id, MaxConnectionIdLength, allowColon: false);

    /// <summary>
    /// A server API name: an API key's, or the system sender of a publish (docs/api.md). The same
    /// rule as a development user's; no <c>:</c>, so a key name can end a Redis key and its
    /// requests' connection id <c>api:{name}</c> is never a real connection's.
    /// </summary>
    public static bool IsValidSystemName(ReadOnlySpan<char> name) => IsValidName(name, MaxDevelopmentUserLength, allowColon: false);

    /// <summary>Letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>:</c>, 1 to 128 of them.</summary>
    public static bool IsValidRoom(ReadOnlySpan<char> name) => IsValidName(name, MaxRoomLength, allowColon: true);

    public static bool IsValid(TargetKind kind, ReadOnlySpan<char> value) => kind switch
    {
        TargetKind.User => IsValidUser(value),
        TargetKind.Connection => IsValidConnectionId(value),
        TargetKind.Room => IsValidRoom(value),
        _ => false,
    };

    /// <summary>The rule for <paramref name="kind"/>, for error messages: "1-64 letters, digits, …".</summary>
    public static string Describe(TargetKind kind) => kind switch
    {
        TargetKind.Room => $"1-{MaxRoomLength} letters, digits, '-', '_', '.' or ':'",
        TargetKind.Connection => $"1-{MaxConnectionIdLength} letters, digits, '-', '_' or '.'",
        _ => $"1-{MaxUserLength} characters with no spaces, control or invisible characters",
    };

    /// <summary>
    /// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt): characters
    /// that display as nothing. Most are format characters, refused anyway; the ranges are the
    /// property's own, so the list reads against the standard.
    /// </summary>
    private static bool IsDefaultIgnorable(int c) => c is 0x00AD or 0x034F or 0x061C
        or (>= 0x115F and <= 0x1160) or (>= 0x17B4 and <= 0x17B5) or (>= 0x180B and <= 0x180F)
        or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E) or (>= 0x2060 and <= 0x206F)
        or 0x3164 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF or 0xFFA0 or (>= 0xFFF0 and <= 0xFFF8)
        or (>= 0x1BCA0 and <= 0x1BCA3) or (>= 0x1D173 and <= 0x1D17A) or (>= 0xE0000 and <= 0xE0FFF);

    private static bool IsValidName(ReadOnlySpan<char> name, int maxLength, bool allowColon)
    {
        if (name.IsEmpty || name.Length > maxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.') && !(allowColon && c == ':'))
            {
                return false;
            }
        }

        return true;
    }
}
