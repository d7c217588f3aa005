namespace ChatPlatform.Gateway.Protocol;

/// <summary>What user names and connection ids may look like.</summary>
internal static class NameRules
{
    public const int MaxUserLength = 64;
    public const int MaxConnectionIdLength = 64;

    /// <summary>Letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, 1 to 64 of them.</summary>
    public static bool IsValidUser(ReadOnlySpan<char> name) => IsValidName(name, MaxUserLength);

    public static bool IsValidConnectionId(ReadOnlySpan<char> id) => IsValidName(id, MaxConnectionIdLength);

    private static bool IsValidName(ReadOnlySpan<char> name, int maxLength)
    {
        if (name.IsEmpty || name.Length > maxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
