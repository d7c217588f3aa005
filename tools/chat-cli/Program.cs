using System.CommandLine;
using ChatPlatform.Cli.Commands;

var root = new RootCommand("ChatPlatform from the command line: chat in a terminal, script a client, mint development tokens, call the server API.")
{
    ConnectCommand.Create(),
    ScriptCommand.Create(),
    TokenCommand.Create(),
    ApiCommand.Create(),
};

var parsed = root.Parse(args);

// After a usage error the help goes to stderr with the error: stdout carries only JSON lines
// (script), a token (token) or an API answer (api), which a script reading it must not mistake for output.
var configuration = new InvocationConfiguration { Output = parsed.Errors.Count > 0 ? Console.Error : Console.Out };
return await parsed.InvokeAsync(configuration);
