using System.CommandLine;
using ChatPlatform.Load;
using ChatPlatform.Load.Commands;

var parsed = LoadCommand.Create().Parse(args);
if (parsed.Errors.Count > 0)
{
    // Errors and help go to stderr: stdout carries only the summary, which scripts parse (--json).
    await parsed.InvokeAsync(new InvocationConfiguration { Output = Console.Error });
    return ExitCodes.Usage;
}

// The run handles Ctrl-C and SIGTERM itself (Running/StopSignals.cs): it stops sending and still
// prints the summary, which System.CommandLine's forced exit after two seconds would cut off.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
