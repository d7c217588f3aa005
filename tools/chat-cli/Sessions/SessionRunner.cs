using ChatPlatform.Client;

namespace ChatPlatform.Cli.Sessions;

/// <summary>
/// The loop <c>connect</c> and <c>script</c> share: connect, then carry out each line of input
/// while the client's events are written as they come; at the end of input (or <c>/quit</c>)
/// wait for the commands in flight, close, and exit.
/// </summary>
internal static class SessionRunner
{
    public static async Task<int> RunAsync(ChatClientOptions options, ISessionOutput output, TextReader input, CancellationToken cancellationToken)
    {
        ChatClient client;
        try
        {
            client = await ChatClient.ConnectAsync(options, cancellationToken);
        }
        catch (ChatException exception)
        {
            output.Fatal(exception.Code, exception.Message);
            return ExitCodes.ConnectFailed;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }

        var events = WriteEventsAsync(client, output);
        var executor = new CommandExecutor(client);
        var inFlight = new List<Task>();
        var stopped = false;
        var interrupted = Task.Delay(Timeout.Infinite, cancellationToken);
        await using (client)
        {
            for (var line = 1; ; line++)
            {
                // Console.In reads synchronously, so a read gets a thread of its own; the loop
                // can then also notice the client stopping for good, or Ctrl-C.
                var read = Task.Run(input.ReadLine, CancellationToken.None);
                var first = await Task.WhenAny(read, events, interrupted);
                if (first != read)
                {
                    stopped = first == events;
                    break;
                }

                if (await read is not { } text)
                {
                    break;
                }

                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                var command = CommandParser.Parse(text, line);
                if (command.Kind == CommandKind.Quit)
                {
                    break;
                }

                if (command.Kind == CommandKind.Help)
                {
                    output.Help(CommandParser.Help);
                    continue;
                }

                inFlight.Add(WriteOutcomeAsync(executor.ExecuteAsync(command), output));
            }

            await Task.WhenAll(inFlight);
        }

        await events;
        return stopped ? ExitCodes.ConnectionLost : ExitCodes.Ok;
    }

    private static async Task WriteEventsAsync(ChatClient client, ISessionOutput output)
    {
        await foreach (var chatEvent in client.ReadEventsAsync())
        {
            output.Event(chatEvent);
        }
    }

    private static async Task WriteOutcomeAsync(Task<CommandOutcome> outcome, ISessionOutput output) =>
        output.Outcome(await outcome);
}
