using ChatPlatform.Testing;

namespace ChatPlatform.ServiceDefaults.Tests.Redis;

/// <summary>The assembly's shared Redis, for the subscription tests: each uses channels of its own.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SharedServers.RedisAsync();

    // The server outlives the test class; it is removed when the assembly's tests have run.
    public Task DisposeAsync() => Task.CompletedTask;
}
