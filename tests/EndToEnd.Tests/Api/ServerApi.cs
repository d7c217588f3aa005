using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatPlatform.EndToEnd.Tests.Api;

/// <summary>Calls to a gateway's server API and their answers, for the tests.</summary>
internal static class ServerApi
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PublishAsync(HttpClient api, object to, object body, string from = "billing", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/publish") { Content = JsonContent.Create(new { to, from, body }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await SendAsync(api, request);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpClient api, HttpRequestMessage request)
    {
        var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient api, string path) =>
        SendAsync(api, new HttpRequestMessage(HttpMethod.Get, path));

    public static bool IsSystemMessage(JsonElement frame, string text) =>
        frame.GetProperty("type").GetString() == "message"
        && frame.GetProperty("body").ValueKind == JsonValueKind.Object
        && frame.GetProperty("body").TryGetProperty("text", out var value) && value.GetString() == text;
}
