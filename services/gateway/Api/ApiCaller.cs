namespace ChatPlatform.Gateway.Api;

/// <summary>The API key a request was authenticated with, as <see cref="ApiEndpoints"/>' filter records it.</summary>
internal static class ApiCaller
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, string keyName) => context.Items[Key] = keyName;

    public static string KeyName(HttpContext context) =>
        context.Items[Key] as string ?? throw new InvalidOperationException("The request was not authenticated.");
}
