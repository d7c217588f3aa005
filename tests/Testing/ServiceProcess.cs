namespace ChatPlatform.Testing;

/// <summary>
/// One of the platform's services run from its build output as a real process on a loopback
/// port, so tests can stop it with SIGTERM or kill it like a crash.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _service;
    private readonly string _assembly;
    private readonly Dictionary<string, string?> _environment;
    private ChildProcess? _process;

    public ServiceProcess(string name, string service, IReadOnlyDictionary<string, string?> environment)
    {
        Name = name;
        _service = service;
        _assembly = $"ChatPlatform.{char.ToUpperInvariant(service[0])}{service[1..]}.dll";
        Port = FreePort.Next();
        _environment = new Dictionary<string, string?>(environment)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };

        // A gateway serves the server API on a port of its own (docs/api.md).
        if (service == "gateway")
        {
            ApiPort = FreePort.Next();
            _environment["Api__Port"] = ApiPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>A gateway's server API port; none for other services.</summary>
    public int? ApiPort { get; }

    /// <summary>A gateway's server API, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri ApiAddress => new($"http://127.0.0.1:{ApiPort ?? throw new InvalidOperationException($"{Name} has no server API.")}/");

    public ChildProcess Process => _process ?? throw new InvalidOperationException($"{Name} is not started.");

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        _process?.Dispose();
        var directory = Repository.ServiceDirectory(_service);
        var assembly = Path.Combine(directory, _assembly);
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"Build the solution first: {assembly} is missing.", assembly);
        }

        _process = ChildProcess.Start(Name, "dotnet", [assembly, "--urls", ApiPort is { } api ? $"http://127.0.0.1:{Port};http://127.0.0.1:{api}" : $"http://127.0.0.1:{Port}"], _environment, directory);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {Process.ExitCode}:\n{Process.Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "readyz"));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout}: {last}\n{Process.Tail()}");
    }

    /// <summary>SIGTERM, then waits for a graceful exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        Process.Signal(Signals.SigTerm);
        if (!await Process.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"{Name} did not exit within {timeout} of SIGTERM:\n{Process.Tail()}");
        }
    }

    /// <summary>SIGKILL: no cleanup of any kind, like a crash or a lost machine.</summary>
    public async Task KillAsync()
    {
        Process.Signal(Signals.SigKill);
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
