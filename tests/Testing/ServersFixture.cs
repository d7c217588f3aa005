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
        (Redis, RabbitMq) = await StartServersAsync($"it-{Guid.NewGuid():N}"[..11]);
    }

    /// <summary>Starts both servers side by side; if either fails, stops the other.</summary>
    public static async Task<(RedisServer Redis, RabbitMqServer RabbitMq)> StartServersAsync(string name)
    {
        var redis = RedisServer.StartAsync($"{name}-redis");
        var rabbitMq = RabbitMqServer.StartAsync($"{name}-rabbitmq");
        try
        {
            await Task.WhenAll(redis, rabbitMq);
            return (redis.Result, rabbitMq.Result);
        }
        catch
        {
            if (redis.IsCompletedSuccessfully)
            {
                await redis.Result.DisposeAsync();
            }

            if (rabbitMq.IsCompletedSuccessfully)
            {
                await rabbitMq.Result.DisposeAsync();
            }

            throw;
        }
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
