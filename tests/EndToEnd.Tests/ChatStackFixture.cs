using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.EndToEnd.Tests;

/// <summary>Starts a <see cref="ChatStack"/> for a test collection, with a Redis connection to inspect it.</summary>
/// <param name="ownServers">Whether the stack gets a Redis and a RabbitMQ of its own, for tests that crash or freeze them (<see cref="ChatStack.StartAsync"/>).</param>
public abstract class ChatStackFixture(string name, IReadOnlyDictionary<string, string?>? settings = null, int presences = 1, int routers = 2, bool ownServers = false) : IAsyncLifetime
{
    public const int ShardCount = 16;

    public ChatStack Stack { get; private set; } = null!;

    /// <summary>The test's own Redis connection, for inspecting the registry.</summary>
    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Stack = await ChatStack.StartAsync($"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)], routers: routers, settings: settings, presences: presences, ownServers: ownServers);
        Redis = await Stack.Redis.ConnectAsync();
    }

    public virtual async Task DisposeAsync()
    {
        Redis?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}
