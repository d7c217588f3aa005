namespace ChatPlatform.Client.Tests.Support;

/// <summary>What a <see cref="FakeApi"/> answers: a status, a body (JSON unless <paramref name="ContentType"/> says otherwise), and headers.</summary>
public sealed record FakeApiAnswer(int Status, string Body = "", string ContentType = "application/json; charset=utf-8", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeApiAnswer Ok(string json, IReadOnlyDictionary<string, string>? headers = null) => new(200, json, Headers: headers);

    /// <summary>An error as the API writes it (docs/api.md, "Errors").</summary>
    public static FakeApiAnswer Error(int status, string code, string message) =>
        new(status, $$"""{"code":"{{code}}","message":"{{message}}"}""");
}
