using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>What user names, connection ids and room names may look like.</summary>
internal static class NameRules
{
    public const int MaxUserLength = 64;
    public const int MaxConnectionIdLength = 64;
    public const int MaxRoomLength = 128;

    /// <summary>Letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, 1 to 64 of them.</summary>
    public static bool IsValidUser(ReadOnlySpan<char> name) => IsValidName(name, MaxUserLength, allowColon: false);

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
        _ => $"1-{MaxUserLength} letters, digits, '-', '_' or '.'",
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
