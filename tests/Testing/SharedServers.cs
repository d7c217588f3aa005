namespace ChatPlatform.Testing;

/// <summary>
/// The one Redis and the one RabbitMQ a test assembly shares: each started the first time a test
/// asks for it, and removed when the assembly's tests have all run, by
/// <see cref="SharedServersFramework"/>, which every assembly that uses them names. Their users
/// keep out of each other's way with unique names, a virtual host of their own, or by running one
/// at a time; none kills, stops or pauses them. Tests that do get servers of their own.
/// </summary>
public static class SharedServers
{
    private static readonly Lock Gate = new();
    private static Task<RedisServer>? _redis;
    private static Task<RabbitMqServer>? _rabbitMq;
    private static bool _open;
    private static bool _closed;

    /// <summary>The shared Redis. A start that failed fails every later request the same way, at once.</summary>
    public static Task<RedisServer> RedisAsync() =>
        Get(ref _redis, () => RedisServer.StartAsync($"{Names.Unique("shared")}-redis"));

    /// <summary>The shared RabbitMQ broker.</summary>
    public static Task<RabbitMqServer> RabbitMqAsync() =>
        Get(ref _rabbitMq, () => RabbitMqServer.StartAsync($"{Names.Unique("shared")}-rabbitmq"));

    /// <summary>Called when the assembly's tests start: from then on, someone will remove what is started.</summary>
    internal static void Open()
    {
        lock (Gate)
        {
            _open = true;
        }
    }

    /// <summary>Removes what was started; called when the assembly's tests have all run.</summary>
    internal static async Task CloseAsync()
    {
        Task<RedisServer>? redis;
        Task<RabbitMqServer>? rabbitMq;
        lock (Gate)
        {
            _closed = true;
            (redis, _redis) = (_redis, null);
            (rabbitMq, _rabbitMq) = (_rabbitMq, null);
        }

        await Task.WhenAll(RemoveAsync(redis), RemoveAsync(rabbitMq));
    }

    private static Task<T> Get<T>(ref Task<T>? server, Func<Task<T>> start)
    {
        lock (Gate)
        {
            if (!_open)
            {
                throw new InvalidOperationException(
                    "Nothing would remove the shared servers at the end: the test assembly needs " +
                    $"[assembly: TestFramework({nameof(SharedServersFramework)}.{nameof(SharedServersFramework.TypeName)}, {nameof(SharedServersFramework)}.{nameof(SharedServersFramework.AssemblyName)})].");
            }

            ObjectDisposedException.ThrowIf(_closed, typeof(SharedServers));
            return server ??= start();
        }
    }

    private static async Task RemoveAsync<T>(Task<T>? start)
        where T : ServerContainer
    {
        if (start is null)
        {
            return;
        }

        T server;
        try
        {
            server = await start;
        }
        catch
        {
            // A start that failed removed its own container, and failed the tests that asked for it.
            return;
        }

        await server.DisposeAsync();
    }
}
