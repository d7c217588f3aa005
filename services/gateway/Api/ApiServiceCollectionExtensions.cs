using ChatPlatform.ServiceDefaults;

namespace ChatPlatform.Gateway.Api;

internal static class ApiServiceCollectionExtensions
{
    /// <summary>The server API's settings, key check, rate limit, idempotency store and OpenAPI document.</summary>
    public static IServiceCollection AddServerApi(this IServiceCollection services)
    {
        services.AddSettings<ApiOptions>(ApiOptions.Section);
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ApiRateLimiter>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<ServerApi>();
        services.AddOpenApi(ApiEndpoints.DocumentName, openApi =>
        {
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ChatPlatform server API";
                document.Info.Description = "For application backends: publish, presence and moderation (docs/api.md). Authorization: Bearer <API key>.";
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
