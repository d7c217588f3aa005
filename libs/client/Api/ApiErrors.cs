using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatPlatform.Client.Api;

/// <summary>
/// Turns an error answer of the server API (docs/api.md, "Errors") into a <see cref="ChatException"/>:
/// the <c>code</c> and <c>message</c> of its body, or, for an answer without one (a 401 has an
/// empty body; a proxy may answer in HTML), the code its status stands for.
/// </summary>
internal static class ApiErrors
{
    /// <summary>The error a response with an unsuccessful status stands for; <paramref name="body"/> is its content, possibly empty.</summary>
    public static ChatException From(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        var (code, message) = Read(body) ?? (CodeOf(response.StatusCode), DefaultMessage(response.StatusCode));
        return new ChatException(code, message, status, null) { RetryAfter = RetryAfter(response.Headers.RetryAfter) };
    }

    /// <summary>The code an answer without a readable body stands for.</summary>
    public static string CodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => ChatErrorCodes.BadRequest,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ChatErrorCodes.Unauthorized,
        HttpStatusCode.NotFound => ChatErrorCodes.Offline,
        HttpStatusCode.Conflict => ChatErrorCodes.Conflict,
        HttpStatusCode.RequestEntityTooLarge => ChatErrorCodes.TooLarge,
        HttpStatusCode.TooManyRequests => ChatErrorCodes.RateLimited,
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => ChatErrorCodes.Unavailable,
        _ => ChatErrorCodes.Internal,
    };

    private static string DefaultMessage(HttpStatusCode status) => status switch
    {
        // The API says nothing more on purpose; the key itself is never repeated.
        HttpStatusCode.Unauthorized => "the server API refused the API key (HTTP 401): it is missing, unknown or malformed",
        _ => $"the server API answered HTTP {(int)status} {status}",
    };

    private static (string Code, string Message)? Read(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(code.GetString()))
            {
                var message = root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
                return (code.GetString()!, message);
            }
        }
        catch (JsonException)
        {
            // Not the API's own answer (a proxy's error page, say): the status speaks for it.
        }

        return null;
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? retryAfter) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };
}
