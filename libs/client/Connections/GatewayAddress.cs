using System.Globalization;
using System.Text;

namespace ChatPlatform.Client.Connections;

/// <summary>The address a connection attempt goes to.</summary>
internal static class GatewayAddress
{
    /// <summary>
    /// The longest query this adds <c>since</c> entries up to. Servers and proxies refuse request
    /// lines past 8 KiB or so; a client in 100 rooms with long names would go past that. The
    /// entries left out are resumed from further back and the repeats dropped by offset.
    /// </summary>
    public const int MaxQueryLength = 6 * 1024;

    /// <summary>
    /// <paramref name="url"/> with, added to its query, <c>user=NAME</c> when connecting as a
    /// development user, and <c>resume</c> and as many <c>since</c> entries of
    /// <paramref name="resume"/> as fit in <see cref="MaxQueryLength"/>, in its order.
    /// </summary>
    public static Uri For(Uri url, string? user, ResumePoint? resume)
    {
        if (user is null && resume is null)
        {
            return url;
        }

        var builder = new UriBuilder(url);
        var query = new StringBuilder(builder.Query.TrimStart('?'));
        if (user is not null)
        {
            Add(query, "user", user);
        }

        if (resume is not null)
        {
            Add(query, "resume", resume.Session);
            foreach (var position in resume.Since)
            {
                var entry = Parameter("since", $"{position.Stream}:{position.Offset.ToString(CultureInfo.InvariantCulture)}");
                if (query.Length + 1 + entry.Length > MaxQueryLength)
                {
                    break;
                }

                query.Append('&').Append(entry);
            }
        }

        builder.Query = query.ToString();
        return builder.Uri;
    }

    private static void Add(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Parameter(name, value));
    }

    private static string Parameter(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";
}
