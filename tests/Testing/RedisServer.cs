using StackExchange.Redis;
using Testcontainers.Redis;

namespace ChatPlatform.Testing;

/// <summary>
/// A throwaway Redis in a container, without persistence: a restart brings it back empty, as a
/// cache-only Redis comes back after a crash.
/// </summary>
public sealed class RedisServer : ServerContainer
{
    private RedisServer(string name, int port)
        : base(
            new RedisBuilder(ContainerImages.Redis)
                .WithName(ContainerName(name))
                .WithCommand("--save", "", "--appendonly", "no")
                .WithPortBinding(port, RedisBuilder.RedisPort)
                .WithCreateParameterModifier(PublishOnLoopback)
                .Build(),
            ContainerName(name),
            port,
            TimeSpan.FromSeconds(30))
    {
    }

    public string ConnectionString => $"{Host}:{Port}";

    /// <summary>Starts a Redis; <paramref name="name"/> makes its container name, e.g. <c>e2e-3f9a1c2b-redis</c>.</summary>
    public static Task<RedisServer> StartAsync(string name) => StartAsync(new RedisServer(name, FreePort.Next()));

    /// <summary>Deletes every key, as a Redis that lost its data would look to its clients (but without a reconnect).</summary>
    public async Task FlushAllAsync()
    {
        using var admin = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true");
        await admin.GetServer(Host, Port).FlushAllDatabasesAsync();
    }

    /// <summary>A separate connection for the test's own inspection and setup.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(ConnectionString + ",abortConnect=false");
}
