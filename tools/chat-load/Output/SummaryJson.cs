using System.Text.Json;
using ChatPlatform.Load.Stats;

namespace ChatPlatform.Load.Output;

/// <summary>The summary as one JSON object on one line, camelCase, for scripts (<c>--json</c>).</summary>
internal static class SummaryJson
{
    public static string Write(LoadSummary summary) => JsonSerializer.Serialize(summary, JsonSerializerOptions.Web);
}
