using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Api.Models;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// The server API's operations (docs/api.md). Each goes to the router that owns the API key's
/// shard, as a client's request goes to its connection's, and is answered with the router's
/// answer: the same path, outcomes and error codes as the WebSocket.
/// </summary>
internal sealed class ServerApi(
    GatewayIdentity identity,
    RouterRequests requests,
    IdempotencyStore idempotency,
    IOptions<ApiOptions> options,
    TimeProvider time,
    ILogger<ServerApi> logger)
{
    /// <summary>The header a retried publish carries.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Marks an answer given again for a repeated idempotency key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// The web defaults, without escaping <c>"</c>, <c>'</c> and the like as <c>\u0022</c>: answers
    /// are JSON for programs and people reading curl's output, never HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The longest close reason: a close frame holds 123 bytes of it.</summary>
    private const int MaxReasonBytes = 123;

    public async Task<IResult> PublishAsync(HttpContext context)
    {
        var keyName = ApiCaller.KeyName(context);
        var content = await ReadBodyAsync(context);
        if (content.Error is { } bodyError)
        {
            return bodyError;
        }

        if (PublishRequestReader.Read(content.Bytes.Span, out var problem) is not { } publish)
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, problem!);
        }

        string? idempotencyKey = context.Request.Headers[IdempotencyKeyHeader];
        if (idempotencyKey is not null && !IdempotencyStore.IsValidKey(idempotencyKey))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"{IdempotencyKeyHeader} must be 1-{IdempotencyStore.MaxKeyLength} printable ASCII characters without spaces");
        }

        if (idempotencyKey is null)
        {
            return ToResult(PublishAnswer(await SendAsync(keyName, publish, context.RequestAborted)));
        }

        IdempotencyClaim claim;
        try
        {
            claim = await idempotency.ClaimAsync(keyName, idempotencyKey);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.IdempotencyFailed(logger, keyName, exception);
            return Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "the message bus is unavailable; the message was not sent");
        }

        if (claim.Status is { } status)
        {
            context.Response.Headers[ReplayedHeader] = "true";
            return Results.Text(claim.Json, "application/json", Encoding.UTF8, status);
        }

        if (!claim.IsClaimed)
        {
            return Error(StatusCodes.Status409Conflict, ApiErrorCodes.Conflict, $"a request with this {IdempotencyKeyHeader} is still in flight; try again shortly");
        }

        var reply = await SendAsync(keyName, publish, CancellationToken.None);
        var answer = PublishAnswer(reply);
        try
        {
            if (reply.Outcome is not null || reply.MayHaveTakenEffect)
            {
                await idempotency.RememberAsync(keyName, idempotencyKey, answer.Status, JsonSerializer.Serialize(answer.Value, Json));
            }
            else
            {
                await idempotency.ForgetAsync(keyName, idempotencyKey);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The claim expires on its own; until then a retry is told to wait.
            Log.IdempotencyFailed(logger, keyName, exception);
        }

        return ToResult(answer);
    }

    public async Task<IResult> UserPresenceAsync(HttpContext context, string user)
    {
        if (!NameRules.IsValidUser(user))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"the user must be {NameRules.Describe(TargetKind.User)}");
        }

        var reply = await AskAsync(ApiCaller.KeyName(context), MessageTarget.User(user), context.RequestAborted);
        return reply.Presence is { } answer
            ? Results.Json(new UserPresenceResponse(user, answer.Connections > 0, answer.Connections), Json)
            : Failure(reply);
    }

    public async Task<IResult> RoomPresenceAsync(HttpContext context, string room)
    {
        if (!NameRules.IsValidRoom(room))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"the room must be {NameRules.Describe(TargetKind.Room)}");
        }

        var reply = await AskAsync(ApiCaller.KeyName(context), MessageTarget.Room(room), context.RequestAborted);
        return reply.Presence is { } answer
            ? Results.Json(new RoomPresenceResponse(room, answer.Users), Json)
            : Failure(reply);
    }

    public async Task<IResult> DisconnectAsync(HttpContext context, string user)
    {
        if (!NameRules.IsValidUser(user))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"the user must be {NameRules.Describe(TargetKind.User)}");
        }

        var reason = CloseCodes.DisconnectedByServerReason;
        var content = await ReadBodyAsync(context);
        if (content.Error is { } bodyError)
        {
            return bodyError;
        }

        if (content.Bytes.Length > 0)
        {
            DisconnectRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<DisconnectRequest>(content.Bytes.Span, Json);
            }
            catch (JsonException)
            {
                return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "the request body must be a JSON object such as {\"reason\":\"account suspended\"}");
            }

            if (request?.Reason is { } given)
            {
                if (given.Length == 0 || Encoding.UTF8.GetByteCount(given) > MaxReasonBytes)
                {
                    return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"\"reason\" must be 1-{MaxReasonBytes} bytes of UTF-8");
                }

                reason = given;
            }
        }

        return ModerationResult(await ModerateAsync(ApiCaller.KeyName(context), MessageTarget.User(user), ModerationAction.Disconnect, "", reason, context.RequestAborted));
    }

    public async Task<IResult> RemoveFromRoomAsync(HttpContext context, string room, MessageTarget target)
    {
        if (!NameRules.IsValidRoom(room))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"the room must be {NameRules.Describe(TargetKind.Room)}");
        }

        if (!NameRules.IsValid(target.Kind, target.Value))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"the {target.Kind.ToString().ToLowerInvariant()} must be {NameRules.Describe(target.Kind)}");
        }

        return ModerationResult(await ModerateAsync(ApiCaller.KeyName(context), target, ModerationAction.RemoveFromRoom, room, "", context.RequestAborted));
    }

    /// <summary>The connection id a key's requests travel under: never a real connection's, which cannot hold a <c>:</c>.</summary>
    private static string SenderId(string keyName) => "api:" + keyName;

    private async Task<RouterReply> SendAsync(string keyName, PublishRequestReader.Publish publish, CancellationToken aborted)
    {
        var senderId = SenderId(keyName);
        var (messageId, request) = requests.CreateForCaller(senderId, publish.Target);
        using var activity = GatewayTelemetry.StartApiCall("chat.send", messageId, publish.Target);
        var message = new InboundMessage(
            messageId,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            identity.Id,
            senderId,
            "",
            publish.Target,
            publish.Body,
            activity?.Id,
            FromSystem: publish.From);
        await requests.PublishAsync(messageId, request, DataPlaneCodec.Encode(message), aborted);
        return await request.Caller!.Task;
    }

    private async Task<RouterReply> AskAsync(string keyName, MessageTarget target, CancellationToken aborted)
    {
        var senderId = SenderId(keyName);
        var (queryId, request) = requests.CreateForCaller(senderId, target);
        using var activity = GatewayTelemetry.StartApiCall("chat.presence", queryId, target);
        await requests.PublishAsync(queryId, request, DataPlaneCodec.Encode(new PresenceQuery(queryId, identity.Id, senderId, target, activity?.Id)), aborted);
        return await request.Caller!.Task;
    }

    private async Task<RouterReply> ModerateAsync(string keyName, MessageTarget target, ModerationAction action, string room, string reason, CancellationToken aborted)
    {
        var senderId = SenderId(keyName);
        var (commandId, request) = requests.CreateForCaller(senderId, target);
        using var activity = GatewayTelemetry.StartApiCall("chat.moderate", commandId, target);
        var command = new ModerationCommand(commandId, identity.Id, senderId, target, action, room, reason, activity?.Id);
        await requests.PublishAsync(commandId, request, DataPlaneCodec.Encode(command), aborted);
        return await request.Caller!.Task;
    }

    private static (int Status, object Value) PublishAnswer(RouterReply reply) => reply.Outcome is { } outcome
        ? (StatusCodes.Status200OK, new PublishResponse(outcome.MessageId, outcome.Recipients, outcome.Stored))
        : (StatusOf(reply.ErrorCode!), new ApiError(reply.ErrorCode!, reply.ErrorMessage!));

    private static IResult ModerationResult(RouterReply reply) => reply.Outcome is { } outcome
        ? Results.Json(new ModerationResponse(outcome.Recipients), Json)
        : Failure(reply);

    private static IResult Failure(RouterReply reply) => Error(StatusOf(reply.ErrorCode!), reply.ErrorCode!, reply.ErrorMessage!);

    private static IResult ToResult((int Status, object Value) answer) => Results.Json(answer.Value, Json, statusCode: answer.Status);

    public static IResult Error(int status, string code, string message) => Results.Json(new ApiError(code, message), Json, statusCode: status);

    /// <summary>The HTTP status of an error code (docs/api.md, "Errors").</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.BadRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.Offline => StatusCodes.Status404NotFound,
        ApiErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Reads the whole body, up to <c>Api:MaxBodyBytes</c>.</summary>
    private async Task<(ReadOnlyMemory<byte> Bytes, IResult? Error)> ReadBodyAsync(HttpContext context)
    {
        var limit = options.Value.MaxBodyBytes;
        var tooLarge = Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, $"the request body is over {limit} bytes");
        if (context.Request.ContentLength > limit)
        {
            return (default, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (default, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }
}
