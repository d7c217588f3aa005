using ChatPlatform.Testing;

namespace ChatPlatform.Presence.Tests;

/// <summary>The assembly's shared Redis and RabbitMQ (<see cref="SharedServers"/>), for the tests of <see cref="ServersCollection"/>.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public RabbitMqServer RabbitMq { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var redis = SharedServers.RedisAsync();
        var rabbitMq = SharedServers.RabbitMqAsync();
        (Redis, RabbitMq) = (await redis, await rabbitMq);
    }

    // The servers outlive the collection; they are removed when the assembly's tests have run.
    public Task DisposeAsync() => Task.CompletedTask;
}
