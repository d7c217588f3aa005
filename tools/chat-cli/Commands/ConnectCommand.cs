using System.CommandLine;
using ChatPlatform.Cli.Output;
using ChatPlatform.Cli.Sessions;

namespace ChatPlatform.Cli.Commands;

/// <summary><c>chat connect</c>: a chat terminal.</summary>
internal static class ConnectCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var command = new Command("connect", "Chat interactively: type /help for the commands; a plain line goes to the current room");
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
            SessionRunner.RunAsync(connection.Read(result), new HumanOutput(Console.Out), Console.In, cancellationToken));
        return command;
    }
}
