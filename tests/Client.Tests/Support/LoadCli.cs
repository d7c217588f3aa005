using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>The built <c>chat-load</c> command run as a process to its end; its output is also logged under the test artifacts.</summary>
public static class LoadCli
{
    /// <summary>The tool's build output, found the way the services' are (<see cref="Repository"/>).</summary>
    public static string AssemblyPath { get; } =
        Path.Combine(Repository.Root, "tools", "chat-load", "bin", Repository.Configuration, "net10.0", "chat-load.dll");

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string name, IEnumerable<string> arguments, TimeSpan timeout)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException($"Build the solution first: {AssemblyPath} is missing.", AssemblyPath);
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
        };
        startInfo.ArgumentList.Add(AssemblyPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The tests say which credentials the tool uses.
        foreach (var variable in new[] { "CHAT_JWT_SECRET", "CHAT_JWT_ISSUER", "CHAT_JWT_AUDIENCE" })
        {
            startInfo.Environment.Remove(variable);
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chat-load did not exit within {timeout}.");
        }

        var (output, errors) = (await stdout, await stderr);
        await File.AppendAllTextAsync(
            Path.Combine(Repository.ArtifactsDirectory, $"{name}.log"),
            $"---- {DateTime.UtcNow:O} chat-load {string.Join(' ', startInfo.ArgumentList.Skip(1))}\nexit {process.ExitCode}\n{output}\nstderr:\n{errors}\n");
        return (process.ExitCode, output, errors);
    }

    /// <summary>The one JSON object <c>--json</c> prints.</summary>
    public static JsonElement Summary(string stdout)
    {
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}
