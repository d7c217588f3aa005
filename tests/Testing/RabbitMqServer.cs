using Testcontainers.RabbitMq;

namespace ChatPlatform.Testing;

/// <summary>A throwaway RabbitMQ broker in a container. Starts in about ten seconds.</summary>
public sealed class RabbitMqServer : ServerContainer
{
    private const int AmqpPort = 5672;

    private RabbitMqServer(string name, int port)
        : base(
            new RabbitMqBuilder(ContainerImages.RabbitMq)
                .WithName(ContainerName(name))
                .WithUsername(Username)
                .WithPassword(Password)
                .WithPortBinding(port, AmqpPort)
                .WithCreateParameterModifier(PublishOnLoopback)
                .Build(),
            ContainerName(name),
            port,
            TimeSpan.FromSeconds(90))
    {
    }

    /// <summary>The user the broker is created with, allowed everything on every virtual host.</summary>
    public const string Username = "chatplatform";

    public const string Password = "chatplatform";

    /// <summary>Starts a broker; <paramref name="name"/> makes its container name, e.g. <c>e2e-3f9a1c2b-rabbitmq</c>.</summary>
    public static Task<RabbitMqServer> StartAsync(string name) => StartAsync(new RabbitMqServer(name, FreePort.Next()));

    /// <summary>
    /// Adds a virtual host that <see cref="Username"/> may use: exchanges and queues of its own,
    /// so a stack of services on a broker that others used before starts from nothing.
    /// </summary>
    public async Task AddVirtualHostAsync(string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var command in new[]
        {
            new[] { "rabbitmqctl", "add_vhost", name },
            ["rabbitmqctl", "set_permissions", "-p", name, Username, ".*", ".*", ".*"],
        })
        {
            var result = await Container.ExecAsync(command, timeout.Token);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} failed in {Name} with exit code {result.ExitCode}: {result.Stderr}{result.Stdout}");
            }
        }
    }
}
