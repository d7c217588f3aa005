using System.Text.Json;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>A request a <see cref="FakeApi"/> received, as it came.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawTarget">The request target exactly as sent, escapes and all (e.g. <c>/api/v1/users/a%2Fb/presence</c>).</param>
/// <param name="Authorization">The Authorization header; empty when there was none.</param>
/// <param name="IdempotencyKey">The Idempotency-Key header, or null.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
/// <param name="Body">The body as text; empty when there was none.</param>
public sealed record FakeApiRequest(string Method, string RawTarget, string Authorization, string? IdempotencyKey, string? ContentType, string Body)
{
    /// <summary>The body as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
