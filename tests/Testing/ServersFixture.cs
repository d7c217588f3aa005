using Xunit;

namespace ChatPlatform.Testing;

/// <summary>
/// The servers an integration test run needs: one throwaway Redis and one throwaway RabbitMQ,
/// started once for the test assembly's collection and disposed of at the end. Tests keep out
/// of each other's way with unique names (<see cref="Names.Unique"/>) or by flushing Redis.
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public RabbitMqServer RabbitMq { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var name = $"it-{Guid.NewGuid():N}"[..11];
        var redis = RedisServer.StartAsync($"{name}-redis");
        var rabbitMq = RabbitMqServer.StartAsync($"{name}-rabbitmq");
        Redis = await redis;
        RabbitMq = await rabbitMq;
    }

    public async Task DisposeAsync()
    {
        if (RabbitMq is not null)
        {
            await RabbitMq.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
