using System.CommandLine;
using ChatPlatform.Cli.Commands;

var root = new RootCommand("ChatPlatform from the command line: chat in a terminal, script a client, mint development tokens.")
{
    ConnectCommand.Create(),
    ScriptCommand.Create(),
    TokenCommand.Create(),
};

var parsed = root.Parse(args);

// After a usage error the help goes to stderr with the error: stdout carries only JSON lines
// (script) or a token (token), which a script reading it must not mistake for output.
var configuration = new InvocationConfiguration { Output = parsed.Errors.Count > 0 ? Console.Error : Console.Out };
return await parsed.InvokeAsync(configuration);
