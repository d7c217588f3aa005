using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>What user ids, connection ids and room names may look like.</summary>
internal static class NameRules
{
    public const int MaxUserLength = 128;
    public const int MaxDevelopmentUserLength = 64;
    public const int MaxConnectionIdLength = 64;
    public const int MaxRoomLength = 128;

    /// <summary>
    /// A user id, as a token's subject gives it (<c>auth0|5f7c…</c>, an email address, a GUID):
    /// 1 to 128 characters with no spaces or control characters.
    /// </summary>
    public static bool IsValidUser(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxUserLength)
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return false;
            }

            // A surrogate must be half of a pair: an unpaired one is not text.
            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A name a development user picks with <c>?user=</c>: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, 1 to 64 of them.</summary>
    public static bool IsValidDevelopmentUser(ReadOnlySpan<char> name) => IsValidName(name, MaxDevelopmentUserLength, allowColon: false);

    public static bool IsValidConnectionId(ReadOnlySpan<char> id) => IsValidName(id, MaxConnectionIdLength, allowColon: false);

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
        _ => $"1-{MaxUserLength} characters with no spaces or control characters",
    };

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
