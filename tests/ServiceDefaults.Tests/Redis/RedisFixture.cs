using ChatPlatform.Testing;

namespace ChatPlatform.ServiceDefaults.Tests.Redis;

/// <summary>One throwaway Redis for the subscription tests.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync($"sd-{Guid.NewGuid():N}"[..11]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
