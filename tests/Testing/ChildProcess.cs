using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChatPlatform.Testing;

/// <summary>
/// A process a test started: its output goes to a log file under the test artifacts and stays
/// searchable in memory. Disposing kills it.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StreamWriter _log;

    private ChildProcess(string name, ProcessStartInfo startInfo, string? standardInput)
    {
        Name = name;
        LogPath = Path.Combine(Repository.ArtifactsDirectory, $"{name}.log");
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        _log.WriteLine($"---- {DateTime.UtcNow:O} starting {startInfo.FileName} {string.Join(' ', startInfo.ArgumentList)}");

        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        // Only when there is input to give: the services keep the stdin they always had.
        startInfo.RedirectStandardInput = standardInput is not null;
        startInfo.UseShellExecute = false;
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            _log.WriteLine($"---- stdin: {standardInput.TrimEnd().ReplaceLineEndings(" | ")}");
            _process.StandardInput.Write(standardInput);
            _process.StandardInput.Close();
        }
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Output => _lines;

    /// <param name="standardInput">Written to the process's stdin, which is then closed; without it, stdin is not redirected.</param>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[key] = value;
        }

        return new ChildProcess(name, startInfo, standardInput);
    }

    /// <summary>Where the log file ends now: pass it to <see cref="LinesSince"/> later.</summary>
    public long LogPosition
    {
        get
        {
            lock (_log)
            {
                _log.Flush();
                return new FileInfo(LogPath).Length;
            }
        }
    }

    /// <summary>Every line of output written after <paramref name="position"/>.</summary>
    public IReadOnlyList<string> LinesSince(long position)
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(position, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', _lines.TakeLast(lines));

    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, signal);
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
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

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > 5000 && _lines.TryDequeue(out _))
        {
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after disposal is not needed.
            }
        }
    }
}
