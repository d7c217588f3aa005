using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>
/// The built <c>chat</c> command run as a process, as a script would run it: lines written to its
/// stdin, each stdout line read as one JSON object. Its output is also logged under the test
/// artifacts. Disposing kills it if it is still running.
/// </summary>
public sealed class ChatCli : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly List<JsonElement> _unread = [];
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<string> _notJson = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly StreamWriter _log;
    private readonly Task _reading;
    private readonly Task _readingErrors;

    private ChatCli(string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException($"Build the solution first: {AssemblyPath} is missing.", AssemblyPath);
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
        };
        startInfo.ArgumentList.Add(AssemblyPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The tests say exactly which of the CLI's variables are set.
        foreach (var variable in new[] { "CHAT_TOKEN", "CHAT_JWT_SECRET", "CHAT_JWT_ISSUER", "CHAT_JWT_AUDIENCE", "CHAT_API_URL", "CHAT_API_KEY" })
        {
            startInfo.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[key] = value;
        }

        _log = new StreamWriter(Path.Combine(Repository.ArtifactsDirectory, $"{name}.log"), append: true) { AutoFlush = true };
        _log.WriteLine($"---- {DateTime.UtcNow:O} chat {string.Join(' ', startInfo.ArgumentList.Skip(1))}");
        _process = Process.Start(startInfo)!;
        _reading = Task.Run(ReadStdoutAsync);
        _readingErrors = Task.Run(ReadStderrAsync);
    }

    /// <summary>The CLI's build output, found the way the services' are (<see cref="Repository"/>).</summary>
    public static string AssemblyPath { get; } =
        Path.Combine(Repository.Root, "tools", "chat-cli", "bin", Repository.Configuration, "net10.0", "chat.dll");

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Stdout => Snapshot(_stdout);

    public IReadOnlyList<string> Stderr => Snapshot(_stderr);

    /// <summary>Stdout lines that were not a JSON object; scripting mode must never write one.</summary>
    public IReadOnlyList<string> NotJson => Snapshot(_notJson);

    public static ChatCli Start(string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(name, arguments, environment);

    /// <summary>Runs the CLI to its end with no input.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)> RunAsync(
        string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        await using var cli = Start(name, arguments, environment);
        cli.EndInput();
        var exitCode = await cli.WaitForExitAsync(DefaultTimeout);
        return (exitCode, cli.Stdout, cli.Stderr);
    }

    public async Task WriteLineAsync(string line)
    {
        _log.WriteLine($"> {line}");
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes stdin: the end of the script.</summary>
    public void EndInput() => _process.StandardInput.Close();

    /// <summary>Takes the first unread JSON line with <c>"event": eventName</c> that matches, waiting up to <paramref name="timeout"/>.</summary>
    public Task<JsonElement> ExpectAsync(string eventName, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null) =>
        TakeAsync(
            line => line.TryGetProperty("event", out var name) && name.GetString() == eventName && (match is null || match(line)),
            $"'{eventName}' line",
            timeout);

    /// <summary>Takes the answer (<c>ack</c>, <c>presence</c> or <c>error</c>) to input line <paramref name="line"/>.</summary>
    public Task<JsonElement> AnswerToAsync(int line, TimeSpan? timeout = null) =>
        TakeAsync(
            element => element.TryGetProperty("line", out var number) && number.GetInt32() == line,
            $"answer to line {line}",
            timeout);

    /// <summary>Waits for the process to exit and its output to be read; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            await Task.WhenAll(_reading, _readingErrors).WaitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"chat did not exit within {timeout}. stdout:\n{string.Join('\n', Stdout)}\nstderr:\n{string.Join('\n', Stderr)}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task<JsonElement> TakeAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            lock (_unread)
            {
                var index = _unread.FindIndex(line => match(line));
                if (index >= 0)
                {
                    var found = _unread[index];
                    _unread.RemoveAt(index);
                    return found;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_reading.IsCompleted && _arrived.CurrentCount == 0))
            {
                throw new TimeoutException($"No {what} came. stdout:\n{string.Join('\n', Stdout)}\nstderr:\n{string.Join('\n', Stderr)}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    private static IReadOnlyList<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private async Task ReadStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            Log(line);
            lock (_stdout)
            {
                _stdout.Add(line);
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException("not an object");
                }

                lock (_unread)
                {
                    _unread.Add(document.RootElement.Clone());
                }
            }
            catch (JsonException)
            {
                lock (_notJson)
                {
                    _notJson.Add(line);
                }
            }

            _arrived.Release();
        }

        _arrived.Release();
    }

    private async Task ReadStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            Log($"stderr: {line}");
            lock (_stderr)
            {
                _stderr.Add(line);
            }
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after disposal is not needed.
            }
        }
    }
}
