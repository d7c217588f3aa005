using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatPlatform.ServiceDefaults;

/// <summary>Writes a health report as <c>{"status":"Unhealthy","checks":{"redis":"Unhealthy: not connected"}}</c>.</summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => entry.Value.Description is { } description
                    ? $"{entry.Value.Status}: {description}"
                    : entry.Value.Status.ToString()),
        }));
    }
}
