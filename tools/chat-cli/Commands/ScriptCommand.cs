using System.CommandLine;
using ChatPlatform.Cli.Output;
using ChatPlatform.Cli.Sessions;

namespace ChatPlatform.Cli.Commands;

/// <summary><c>chat script</c>: the chat commands from stdin, one JSON object per event on stdout.</summary>
internal static class ScriptCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var command = new Command("script", "Read chat commands from stdin, one a line, and write one JSON object a line per event to stdout; exits at the end of input once the commands in flight are answered");
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
            SessionRunner.RunAsync(connection.Read(result), new JsonOutput(Console.OpenStandardOutput()), Console.In, cancellationToken));
        return command;
    }
}
