using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.EndToEnd.Tests;

/// <summary>
/// The platform as the local stack runs it: presence, two routers, two gateways, default
/// settings, exporting telemetry to a collector the tests can read.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const int ShardCount = 16;

    public ChatStack Stack { get; private set; } = null!;

    public OtlpCollector Telemetry { get; } = new();

    /// <summary>The test's own Redis connection, for inspecting the registry.</summary>
    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await ChatStack.StartAsync($"e2e-{Guid.NewGuid():N}"[..12], settings: Telemetry.Settings);
        Redis = await Stack.Redis.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        Redis?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        await Telemetry.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
