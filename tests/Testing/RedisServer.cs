using StackExchange.Redis;

namespace ChatPlatform.Testing;

/// <summary>A throwaway redis-server on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ChildProcess? _process;

    private RedisServer(string name, int port)
    {
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string name)
    {
        var server = new RedisServer(name, FreePort.Next());
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

    /// <summary>Starts it again on the same port (with empty data), after <see cref="Kill"/>.</summary>
    public async Task StartAsync()
    {
        _process?.Dispose();
        _process = ChildProcess.Start(Name, "redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), () => _process.Tail());
    }

    /// <summary>Stops it at once, as a crash would.</summary>
    public void Kill()
    {
        _process?.Signal(Signals.SigKill);
        _process?.WaitForExitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
    }

    /// <summary>Deletes every key, as a Redis that lost its data would look to its clients (but without a reconnect).</summary>
    public async Task FlushAllAsync()
    {
        using var admin = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true");
        await admin.GetServer("127.0.0.1", Port).FlushAllDatabasesAsync();
    }

    /// <summary>A separate connection for the test's own inspection and setup.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(ConnectionString + ",abortConnect=false");

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
