using System.Text.Json;

namespace ChatPlatform.Testing;

/// <summary>Resuming a session the way docs/protocol.md describes it, and reading what came back.</summary>
public static class Resume
{
    /// <summary><paramref name="gateway"/>'s address for <paramref name="user"/>, resuming <paramref name="session"/> from the given positions.</summary>
    public static Uri Uri(ChatStack stack, int gateway, string user, string session, params (string Stream, long Offset)[] since)
    {
        var query = string.Concat(since.Select(position => $"&since={System.Uri.EscapeDataString($"{position.Stream}:{position.Offset}")}"));
        return new Uri($"{stack.GatewayUri(gateway, user)}&resume={System.Uri.EscapeDataString(session)}{query}");
    }

    public static string Session(TestClient client) => client.Welcome.GetProperty("session").GetString()!;

    public static bool IsMessage(JsonElement frame) => Type(frame) == "message";

    public static bool IsRecovered(JsonElement frame) => Type(frame) == "recovered";

    public static string? Stream(JsonElement frame) => frame.TryGetProperty("stream", out var stream) ? stream.GetString() : null;

    public static long Offset(JsonElement frame) => frame.GetProperty("offset").GetInt64();

    public static bool WasRecovered(JsonElement frame) => frame.TryGetProperty("recovered", out var recovered) && recovered.GetBoolean();

    private static string? Type(JsonElement frame) => frame.TryGetProperty("type", out var type) ? type.GetString() : null;
}
