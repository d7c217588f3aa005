using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.EndToEnd.Tests;

/// <summary>A stack of its own for tests that stop and kill services; each test restores what it broke.</summary>
public sealed class DisruptionFixture : IAsyncLifetime
{
    public ChatStack Stack { get; private set; } = null!;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await ChatStack.StartAsync($"dis-{Guid.NewGuid():N}"[..12]);
        Redis = await Stack.Redis.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        Redis?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DisruptionCollection : ICollectionFixture<DisruptionFixture>
{
    public const string Name = "disruption";
}
