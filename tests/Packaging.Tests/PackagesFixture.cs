using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ChatPlatform.Testing;

namespace ChatPlatform.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: the solution packed from its build output into a fresh
/// folder, with a version no earlier run used (so no package cached by an earlier run can stand
/// in); the <c>chat</c> tool installed from that folder into a folder of its own; and a console
/// app, outside the repository, built against ChatPlatform.Client from that folder. Beside them,
/// a stack to use them against. All of it lives under one temporary folder, removed at the end.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly List<string> _timings = [];

    public string Version { get; } = $"1.0.0-test.{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), Names.Unique("chatplatform-packaging"));

    public string PackageFolder => Path.Combine(Root, "packages");

    public string ToolFolder => Path.Combine(Root, "tools");

    public string AppFolder => Path.Combine(Root, "app");

    /// <summary>The installed tool's command.</summary>
    public string ChatTool => Path.Combine(ToolFolder, "chat");

    public string AppAssembly => Path.Combine(AppFolder, "bin", "Release", "net10.0", "ChatApp.dll");

    public ChatStack Stack { get; private set; } = null!;

    /// <summary>How long each step took, for the test output.</summary>
    public IReadOnlyList<string> Timings => _timings;

    /// <summary>A gateway's WebSocket address without a user: the clients add their own.</summary>
    public string GatewayUrl => $"ws://127.0.0.1:{Stack.Gateways[0].Port}/ws";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);

        // The stack's containers and services start while the packages are made: neither needs the other.
        var started = Stopwatch.StartNew();
        var stack = ChatStack.StartAsync(Names.Unique("packaging"), routers: 1, gateways: 1);
        ExceptionDispatchInfo? failure = null;
        try
        {
            await TimeAsync("pack", PackAsync);
            await TimeAsync("tool install", InstallToolAsync);
            await TimeAsync("app build", BuildAppAsync);
        }
        catch (Exception exception)
        {
            failure = ExceptionDispatchInfo.Capture(exception);
        }

        try
        {
            // Awaited even after a failure, so that DisposeAsync stops what it started.
            Stack = await stack;
            _timings.Add($"all ready, the stack too (started alongside): {started.Elapsed.TotalSeconds:F1} s");
        }
        catch when (failure is not null)
        {
            // The first failure is the one to report.
        }

        failure?.Throw();
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Runs a command to its end, within <paramref name="timeout"/> (2 minutes if not given).</summary>
    public async Task<CommandResult> RunAsync(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, string? standardInput = null, TimeSpan? timeout = null)
    {
        using var process = ChildProcess.Start(name, fileName, arguments, Environment(), workingDirectory, standardInput);
        var limit = timeout ?? CommandTimeout;
        if (!await process.WaitForExitAsync(limit))
        {
            throw new TimeoutException($"{name} did not finish within {limit.TotalSeconds} s (log: {process.LogPath}):\n{process.Tail()}");
        }

        return new CommandResult(name, process.ExitCode, [.. process.Output], process.LogPath);
    }

    /// <summary>For every command the tests run.</summary>
    private Dictionary<string, string?> Environment() => new()
    {
        // Packages restored go to a folder of the run's own: the user's package cache neither
        // serves them nor keeps them afterwards.
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        // No build servers: one left running would hold the output pipes open, and the wait on them.
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
    };

    private async Task TimeAsync(string step, Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        _timings.Add($"{step}: {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// The whole solution, as a release would pack it after building and testing: what comes out
    /// is exactly what is meant to be published (the tests check that).
    /// </summary>
    private async Task PackAsync()
    {
        var result = await RunAsync(
            "pack",
            "dotnet",
            ["pack", Path.Combine(Repository.Root, "ChatPlatform.sln"), "-c", Repository.Configuration, "--no-build", "-o", PackageFolder, $"-p:Version={Version}"],
            Repository.Root);
        result.AssertSucceeded();
    }

    private async Task InstallToolAsync()
    {
        var result = await RunAsync(
            "tool-install",
            "dotnet",
            ["tool", "install", "--tool-path", ToolFolder, "--add-source", PackageFolder, "ChatPlatform.Cli", "--version", Version],
            Root);
        result.AssertSucceeded();
    }

    private async Task BuildAppAsync()
    {
        ConsumerApp.Write(AppFolder, PackageFolder, Version);
        var result = await RunAsync(
            "app-build",
            "dotnet",
            ["build", "-c", "Release", "--disable-build-servers"],
            AppFolder);
        result.AssertSucceeded();
    }
}

/// <summary>How a command ended: its exit code and its output, stdout and stderr interleaved.</summary>
public sealed record CommandResult(string Name, int ExitCode, IReadOnlyList<string> Output, string LogPath)
{
    public void AssertSucceeded() =>
        Assert.True(ExitCode == 0, $"{Name} exited with {ExitCode} (log: {LogPath}):\n{string.Join('\n', Output.TakeLast(40))}");
}
