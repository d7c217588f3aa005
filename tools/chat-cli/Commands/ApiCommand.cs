using System.CommandLine;
using System.Text.Json;
using ChatPlatform.Cli.Api;
using ChatPlatform.Client;
using ChatPlatform.Client.Api;

namespace ChatPlatform.Cli.Commands;

/// <summary>
/// <c>chat api</c>: the server API for backends (docs/api.md) from a shell: publish, presence,
/// disconnect and remove. Each prints the API's answer as one JSON line.
/// </summary>
internal static class ApiCommand
{
    public static Command Create() => new("api", $"Call the server API for backends (docs/api.md) with the key in {ApiOptions.KeyVariable}; prints the answer as one JSON line")
    {
        Publish(),
        Presence(),
        Disconnect(),
        Remove(),
    };

    private static Command Publish()
    {
        var to = new Option<string>("--to") { Description = $"Whom to send to: {ApiTarget.Forms}", Required = true };
        var from = new Option<string>("--from") { Description = "The system sender recipients see, e.g. billing", Required = true };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Send with this Idempotency-Key: a repeat within the API's window is not delivered again" };
        var body = new Argument<string>("body") { Description = "The message body as JSON, e.g. '{\"text\":\"hi\"}' or '\"hi\"'; - reads it from stdin" };
        var command = new Command("publish", "Publish a message as a system sender") { to, from, idempotencyKey, body };
        to.Validators.Add(result =>
        {
            if (ApiTarget.Parse(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--to must be {ApiTarget.Forms}.");
            }
        });
        return With(command, (api, result, cancellationToken) =>
        {
            var text = result.GetRequiredValue(body);
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(text == "-" ? Console.In.ReadToEnd() : text);
                json = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new ApiUsageException($"the body must be JSON (a string is written \"in quotes\"): {exception.Message}");
            }

            return Run(async () => ApiOutput.Published(await api.PublishAsync(
                ApiTarget.Parse(result.GetRequiredValue(to))!,
                result.GetRequiredValue(from),
                json,
                result.GetValue(idempotencyKey),
                cancellationToken)));
        });
    }

    private static Command Presence()
    {
        var target = new Argument<string>("target") { Description = "user:ID or room:NAME" };
        var command = new Command("presence", "Whether a user is online, or who is in a room") { target };
        target.Validators.Add(result =>
        {
            if (ApiTarget.Parse(result.GetValueOrDefault<string>()) is not { Kind: ChatTargetKind.User or ChatTargetKind.Room })
            {
                result.AddError("presence takes user:ID or room:NAME.");
            }
        });
        return With(command, (api, result, cancellationToken) =>
        {
            var asked = ApiTarget.Parse(result.GetRequiredValue(target))!;
            return Run(async () =>
            {
                if (asked.Kind == ChatTargetKind.User)
                {
                    ApiOutput.User(await api.GetUserPresenceAsync(asked.Value!, cancellationToken));
                }
                else
                {
                    ApiOutput.Room(await api.GetRoomPresenceAsync(asked.Value!, cancellationToken));
                }
            });
        });
    }

    private static Command Disconnect()
    {
        var user = new Argument<string>("user") { Description = "The user whose connections to close (close code 4000)" };
        var reason = new Option<string?>("--reason") { Description = "The reason their clients show (at most 123 bytes of UTF-8)" };
        var command = new Command("disconnect", "Close every connection of a user; their clients do not reconnect by themselves") { user, reason };
        return With(command, (api, result, cancellationToken) => Run(async () =>
            ApiOutput.Connections(await api.DisconnectUserAsync(result.GetRequiredValue(user), result.GetValue(reason), cancellationToken))));
    }

    private static Command Remove()
    {
        var room = new Argument<string>("room") { Description = "The room" };
        var user = new Argument<string?>("user") { Description = "The user whose connections leave the room", Arity = ArgumentArity.ZeroOrOne };
        var connection = new Option<string?>("--connection") { Description = "Only this connection leaves the room (instead of a user)" };
        var command = new Command("remove", "Take a user's connections, or one connection, out of a room") { room, user, connection };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(user) is null) == (result.GetValue(connection) is null))
            {
                result.AddError("Give either a USER or --connection ID.");
            }
        });
        return With(command, (api, result, cancellationToken) => Run(async () =>
        {
            var name = result.GetRequiredValue(room);
            ApiOutput.Connections(result.GetValue(connection) is { } id
                ? await api.RemoveConnectionFromRoomAsync(name, id, cancellationToken)
                : await api.RemoveUserFromRoomAsync(name, result.GetValue(user)!, cancellationToken));
        }));
    }

    /// <summary>Adds the shared options to <paramref name="command"/>, and runs <paramref name="action"/> with a client of the API they name.</summary>
    private static Command With(Command command, Func<ChatApiClient, ParseResult, CancellationToken, Task<int>> action)
    {
        var options = new ApiOptions();
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                using var api = options.Client(result);
                return await action(api, result, cancellationToken);
            }
            catch (ApiUsageException exception)
            {
                ApiOutput.Usage(exception.Message);
                return ExitCodes.Usage;
            }
            catch (ArgumentException exception)
            {
                // What the client library refuses before sending: an empty name, a bad idempotency key.
                ApiOutput.Usage(exception.Message);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static async Task<int> Run(Func<Task> call)
    {
        try
        {
            await call();
            return ExitCodes.Ok;
        }
        catch (ChatException exception)
        {
            ApiOutput.Error(exception);
            return exception.Code == ChatErrorCodes.ConnectFailed ? ExitCodes.ConnectFailed : ExitCodes.ApiError;
        }
    }
}
