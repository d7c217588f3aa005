using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatPlatform.Load.Commands;

/// <summary>Reads a duration: seconds as a plain number (<c>10</c>, <c>2.5</c>), units (<c>500ms</c>, <c>90s</c>, <c>1m30s</c>, <c>2h</c>) or <c>hh:mm:ss</c>.</summary>
internal static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromSeconds(seconds, out duration);
        }

        var match = Units().Match(text);
        if (match.Success)
        {
            var total = 0.0;
            for (var i = 0; i < match.Groups["value"].Captures.Count; i++)
            {
                var value = double.Parse(match.Groups["value"].Captures[i].Value, CultureInfo.InvariantCulture);
                total += match.Groups["unit"].Captures[i].Value switch
                {
                    "ms" => value / 1000,
                    "m" => value * 60,
                    "h" => value * 3600,
                    _ => value,
                };
            }

            return TryFromSeconds(total, out duration);
        }

        // Only with a colon: TimeSpan reads a bare "10" as ten days.
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    private static bool TryFromSeconds(double seconds, out TimeSpan duration)
    {
        // Far beyond any limit the options set, and far from where TimeSpan overflows.
        var ok = double.IsFinite(seconds) && seconds >= 0 && seconds <= 366 * 86400;
        duration = ok ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        return ok;
    }

    [GeneratedRegex(@"^(?:(?<value>[0-9]{1,9}(?:\.[0-9]{1,6})?)(?<unit>ms|s|m|h))+$")]
    private static partial Regex Units();
}
