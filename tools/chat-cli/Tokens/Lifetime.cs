using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatPlatform.Cli.Tokens;

/// <summary>Reads a token lifetime: <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, combinations such as <c>1h30m</c>, or a TimeSpan such as <c>01:30:00</c>.</summary>
internal static partial class Lifetime
{
    /// <summary>Far past any sensible token's life, and far from where adding more parts could overflow.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);

    public static bool TryParse(string text, out TimeSpan lifetime)
    {
        lifetime = TimeSpan.Zero;
        var match = Units().Match(text.Trim());
        if (match.Success && match.Length > 0)
        {
            foreach (Capture part in match.Groups["part"].Captures)
            {
                if (lifetime > MaxLifetime)
                {
                    return false;
                }

                var value = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                lifetime += part.Value[^1] switch
                {
                    'd' => TimeSpan.FromDays(value),
                    'h' => TimeSpan.FromHours(value),
                    'm' => TimeSpan.FromMinutes(value),
                    _ => TimeSpan.FromSeconds(value),
                };
            }
        }

        // A TimeSpan only with a colon: TimeSpan reads a bare "10" as ten days, so a bare number is refused.
        else if (!text.Contains(':') || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out lifetime))
        {
            return false;
        }

        return lifetime > TimeSpan.Zero && lifetime <= MaxLifetime;
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}[dhms])+$")]
    private static partial Regex Units();
}
