using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Api.Models;
using ChatPlatform.Protocol;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// Maps the server API, <c>/api/v1</c> (docs/api.md), on the gateway's API port only, behind its
/// key check and per-key rate limit; and keeps the two ports apart: the API port serves nothing
/// but the API and health, the public port nothing of the API.
/// </summary>
internal static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public const string DocumentName = "v1";

    /// <summary>Where <c>{user}</c> is in <c>/api/v1/users/{user}/…</c>, counting <c>api</c> as 0.</summary>
    private const int UserSegment = 3;

    /// <summary>Where <c>{user}</c> is in <c>/api/v1/rooms/{room}/users/{user}</c>.</summary>
    private const int RoomMemberSegment = 5;

    /// <summary>Before anything else that answers requests: the page and <c>/ws</c> must not answer on the API port.</summary>
    public static void UseApiPortSeparation(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.Port;
        app.Use((context, next) =>
        {
            var onApiPort = port is { } api && context.Connection.LocalPort == api;
            var path = context.Request.Path;
            var apiPath = path.StartsWithSegments("/api", StringComparison.Ordinal);
            var allowed = onApiPort
                ? apiPath || path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path.StartsWithSegments("/readyz", StringComparison.Ordinal)
                : !apiPath;
            if (allowed)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    public static void MapServerApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        if (options.Port is not { } port)
        {
            return;
        }

        WarnOfMisconfiguration(app, port, options);
        app.MapOpenApi(Prefix + "/openapi.json");

        var api = app.MapGroup(Prefix).AddEndpointFilter(AuthenticateAsync);
        api.MapPost("/publish", (HttpContext context, ServerApi server) => server.PublishAsync(context))
            .AddOpenApiOperationTransformer(JsonBody<PublishRequest>(required: true))
            .Produces<PublishResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .WithName("Publish")
            .WithSummary("Publishes a message to a user, a connection, a room or everyone, from a system sender.");
        api.MapGet("/users/{user}/presence", (HttpContext context, string user, ServerApi server) => server.UserPresenceAsync(context, RawPath.Segment(context, UserSegment)))
            .Produces<UserPresenceResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetUserPresence")
            .WithSummary("Whether a user is online, and on how many connections.");
        api.MapGet("/rooms/{room}/presence", (HttpContext context, string room, ServerApi server) => server.RoomPresenceAsync(context, room))
            .Produces<RoomPresenceResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetRoomPresence")
            .WithSummary("The users in a room.");
        api.MapPost("/users/{user}/disconnect", (HttpContext context, string user, ServerApi server) => server.DisconnectAsync(context, RawPath.Segment(context, UserSegment)))
            .AddOpenApiOperationTransformer(JsonBody<DisconnectRequest>(required: false))
            .Produces<ModerationResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .WithName("DisconnectUser")
            .WithSummary("Closes every connection of a user, on every gateway, with close code 4000 and a reason.");
        api.MapDelete("/rooms/{room}/users/{user}", (HttpContext context, string room, string user, ServerApi server) => server.RemoveFromRoomAsync(context, room, MessageTarget.User(RawPath.Segment(context, RoomMemberSegment))))
            .Produces<ModerationResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .WithName("RemoveUserFromRoom")
            .WithSummary("Takes every connection of a user out of a room; the room's other members get left.");
        api.MapDelete("/rooms/{room}/connections/{connection}", (HttpContext context, string room, string connection, ServerApi server) => server.RemoveFromRoomAsync(context, room, MessageTarget.Connection(connection)))
            .Produces<ModerationResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .WithName("RemoveConnectionFromRoom")
            .WithSummary("Takes one connection out of a room.");
    }

    /// <summary>
    /// Describes a JSON request body in the OpenAPI document only. Not <c>Accepts</c>, which would
    /// also refuse a body sent without <c>Content-Type: application/json</c> (415, as from
    /// <c>curl -d</c>): the body is read as JSON whatever its declared type, and a bad one is
    /// answered with a <c>bad_request</c> saying why.
    /// </summary>
    private static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> JsonBody<T>(bool required) =>
        async (operation, context, cancellationToken) => operation.RequestBody = new OpenApiRequestBody
        {
            Required = required,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), cancellationToken: cancellationToken) },
            },
        };

    /// <summary>401 with nothing more for any request without a configured key; then the key's rate limit.</summary>
    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var services = context.RequestServices;
        if (services.GetRequiredService<ApiKeys>().Authenticate(context.Request.Headers.Authorization) is not { } keyName)
        {
            Log.ApiRefused(services.GetRequiredService<ILogger<ApiKeys>>(), "no key, or not a configured one");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (!services.GetRequiredService<ApiRateLimiter>().TryAcquire(keyName, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ServerApi.Error(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, $"over the rate limit of API key {keyName}; try again after Retry-After seconds");
        }

        ApiCaller.Set(context, keyName);
        return await next(invocation);
    }

    private static void WarnOfMisconfiguration(WebApplication app, int port, ApiOptions options)
    {
        var logger = app.Services.GetRequiredService<ILogger<ApiKeys>>();
        if (options.Keys.Values.All(string.IsNullOrEmpty))
        {
            Log.ApiWithoutKeys(logger, port);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (!addresses.Any(address => BindingAddress.Parse(address).Port == port))
            {
                Log.ApiPortNotListened(logger, port, string.Join(", ", addresses));
            }
        });
    }
}
