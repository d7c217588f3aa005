using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace ChatPlatform.Gateway.History;

/// <summary>
/// <c>resume=&lt;session&gt;</c> and the client's <c>since=&lt;stream&gt;:&lt;offset&gt;</c>
/// positions from an upgrade's query string (docs/protocol.md, "Resuming a connection").
/// </summary>
internal sealed record ResumeRequest(string Session, IReadOnlyDictionary<string, long> Since)
{
    /// <summary>Positions beyond this many are ignored: a connection has at most 101 streams.</summary>
    private const int MaxPositions = 256;

    /// <returns>Null when the request does not ask to resume.</returns>
    public static ResumeRequest? From(IQueryCollection query)
    {
        if (!query.TryGetValue("resume", out var resume) || resume.Count == 0)
        {
            return null;
        }

        return new ResumeRequest(resume[0] ?? "", ParseSince(query.TryGetValue("since", out var since) ? since : StringValues.Empty));
    }

    private static Dictionary<string, long> ParseSince(StringValues values)
    {
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (positions.Count == MaxPositions)
            {
                break;
            }

            // The offset follows the last colon: stream names have colons of their own.
            var colon = value?.LastIndexOf(':') ?? -1;
            if (colon > 0 && long.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                positions[value![..colon]] = offset;
            }
        }

        return positions;
    }
}
