using System.Globalization;
using System.Text;

namespace ChatPlatform.Gateway;

/// <summary>
/// Makes a value that came with a request safe to write to a log: a header, a token's claim or a
/// refusal reason could carry terminal escape sequences or line breaks that forge or hide log
/// lines. Control, format (invisible), separator, surrogate, private-use and unassigned
/// characters, and spaces other than ASCII's, become <c>\uXXXX</c>; a backslash becomes
/// <c>\\</c>, so an escape in the log always stands for one in the value. A value longer than
/// <see cref="MaxLength"/> characters is cut short and ends with <c>…</c>.
/// </summary>
internal static class LogValue
{
    public const int MaxLength = 256;

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var end = Math.Min(value.Length, MaxLength);
        if (IsPlainAscii(value.AsSpan(0, end)))
        {
            return end == value.Length ? value : string.Concat(value.AsSpan(0, end), "…");
        }

        var escaped = new StringBuilder(end + 16);
        for (var i = 0; i < end; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                escaped.Append(@"\\");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(value[i + 1]))
            {
                // A pair is one character; one cut in half by the limit is escaped like a lone surrogate.
                if (IsPrintable(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, value[i + 1]))))
                {
                    escaped.Append(c).Append(value[i + 1]);
                }
                else
                {
                    escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}\\u{(int)value[i + 1]:X4}");
                }

                i++;
            }
            else if (c == ' ' || IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        if (end < value.Length)
        {
            escaped.Append('…');
        }

        return escaped.ToString();
    }

    /// <summary>Printable ASCII without backslashes, the common case: nothing to escape, no look-ups.</summary>
    private static bool IsPlainAscii(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrintable(UnicodeCategory category) => category is not (
        UnicodeCategory.Control
        or UnicodeCategory.Format
        or UnicodeCategory.SpaceSeparator
        or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate
        or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned);
}
