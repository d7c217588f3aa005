using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace ChatPlatform.Testing;

/// <summary>
/// A server in a throwaway container, which a test can crash, stop, start again and freeze. Its
/// port is published on a fixed free loopback port rather than one Docker picks at each start:
/// a restarted server comes back on the same address, so services configured with it reconnect
/// by themselves, as they would to a real server that restarted.
/// </summary>
public abstract class ServerContainer : IAsyncDisposable
{
    private protected const string Loopback = "127.0.0.1";

    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _startTimeout;
    private bool _paused;

    private protected ServerContainer(IContainer container, string name, int port, TimeSpan startTimeout)
    {
        Container = container;
        Name = name;
        Port = port;
        _startTimeout = startTimeout;
    }

    /// <summary>The container's name, <c>chatplatform-test-…</c>.</summary>
    public string Name { get; }

    public string Host => Loopback;

    public int Port { get; }

    private protected IContainer Container { get; }

    /// <summary>A container name that says whose it is, for a person reading <c>docker ps</c>.</summary>
    private protected static string ContainerName(string name) => $"chatplatform-test-{name}";

    /// <summary>Publishes every port on the loopback interface only, not on the machine's other interfaces.</summary>
    private protected static void PublishOnLoopback(CreateContainerParameters parameters)
    {
        foreach (var bindings in parameters.HostConfig?.PortBindings?.Values ?? [])
        {
            foreach (var binding in bindings)
            {
                binding.HostIP = Loopback;
            }
        }
    }

    /// <summary>Creates and starts the container; on failure removes it again.</summary>
    private protected static async Task<TServer> StartAsync<TServer>(TServer server)
        where TServer : ServerContainer
    {
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

    /// <summary>Starts the container (again, after <see cref="StopAsync"/> or <see cref="KillAsync"/>) and waits until the server answers.</summary>
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(_startTimeout);
        try
        {
            await Container.StartAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not answer within {_startTimeout} of its start.\n{await LogTailAsync()}");
        }
    }

    /// <summary>Stops the server cleanly (<c>docker stop</c>: SIGTERM, and SIGKILL after 10 s).</summary>
    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(OperationTimeout);
        await Container.StopAsync(timeout.Token);
    }

    /// <summary>Stops the server at once, as a crash would (<c>docker kill</c>: SIGKILL).</summary>
    public async Task KillAsync()
    {
        using var timeout = new CancellationTokenSource(OperationTimeout);

        // Testcontainers stops containers, but does not kill them: the Docker API it talks to does,
        // at the same endpoint and API version.
        using (var docker = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.Empty).Build())
        {
            await docker.Containers.KillContainerAsync(Container.Id, new ContainerKillParameters { Signal = "KILL" }, timeout.Token);
            await docker.Containers.WaitContainerAsync(Container.Id, timeout.Token);
        }

        // A stop of the stopped container: Testcontainers records when it stopped, so the next
        // start waits for what the server logs after that, not before.
        await Container.StopAsync(timeout.Token);
    }

    /// <summary>
    /// Freezes every process in the container (<c>docker pause</c>): connections stay open and
    /// new ones are accepted, but nothing is answered, as when the network to the server is cut
    /// without a close.
    /// </summary>
    public async Task PauseAsync()
    {
        using var timeout = new CancellationTokenSource(OperationTimeout);
        await Container.PauseAsync(timeout.Token);
        _paused = true;
    }

    public async Task UnpauseAsync()
    {
        using var timeout = new CancellationTokenSource(OperationTimeout);
        await Container.UnpauseAsync(timeout.Token);
        _paused = false;
    }

    /// <summary>Writes the server's output to the test artifacts and removes the container.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_paused)
            {
                await UnpauseAsync();
            }

            var (stdout, stderr) = await Container.GetLogsAsync();
            await File.WriteAllTextAsync(Path.Combine(Repository.ArtifactsDirectory, $"{Name}.log"), stdout + stderr);
        }
        catch (Exception)
        {
            // The logs are for reading after a failure; removing the container matters more.
        }

        await Container.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<string> LogTailAsync()
    {
        try
        {
            var (stdout, stderr) = await Container.GetLogsAsync();
            return string.Join('\n', (stdout + stderr).Split('\n').TakeLast(30));
        }
        catch (Exception exception)
        {
            return $"(its output could not be read: {exception.Message})";
        }
    }
}
