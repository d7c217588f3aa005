namespace ChatPlatform.Testing;

/// <summary>
/// A throwaway RabbitMQ broker from Debian's package, with its own node name, ports, epmd and
/// data folder, run as the current user. Starts in a few seconds.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    private readonly string _directory;
    private readonly int _epmdPort;
    private ChildProcess? _process;

    private RabbitMqServer(string name)
    {
        Name = name;
        Port = FreePort.Next();
        _epmdPort = FreePort.Next();
        _directory = Directory.CreateTempSubdirectory($"rabbitmq-{name}-").FullName;
    }

    public string Name { get; }

    public int Port { get; }

    public static async Task<RabbitMqServer> StartAsync(string name)
    {
        var server = new RabbitMqServer(name);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync()
    {
        _process?.Dispose();
        Directory.CreateDirectory(Path.Combine(_directory, "home"));
        File.WriteAllText(Path.Combine(_directory, "enabled_plugins"), "[].");
        _process = ChildProcess.Start(Name, ServerScript, [], new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(_directory, "home"),
            ["RABBITMQ_NODENAME"] = $"{Name}-{Port}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = FreePort.Next().ToString(),
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(),

            // Loopback only: epmd and the Erlang distribution listener bind every interface by default.
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "none"),
        }, _directory);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(60), () => _process.Tail());
    }

    /// <summary>Stops the broker at once, as a crash would.</summary>
    public void Kill()
    {
        // The server script runs the Erlang VM as its child (to turn SIGTERM into a clean stop):
        // killing the script alone would leave the broker running.
        _process?.KillTree();
        _process?.WaitForExitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Signal(Signals.SigTerm);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
            _process.Dispose();
        }

        // The broker started its own epmd on a private port; stop it too.
        using (var epmd = ChildProcess.Start($"{Name}-epmd-kill", "epmd", ["-kill"], new Dictionary<string, string?> { ["ERL_EPMD_PORT"] = _epmdPort.ToString() }))
        {
            await epmd.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is cleaned up by the system later.
        }
    }
}
