using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Testcontainers.RabbitMq;

namespace ChatPlatform.Testing;

/// <summary>A throwaway RabbitMQ broker in a container. Starts in about ten seconds.</summary>
public sealed class RabbitMqServer : ServerContainer
{
    /// <summary>The administrator the broker is created with, allowed everything on its default virtual host.</summary>
    public const string Username = "chatplatform";

    public const string Password = "chatplatform";

    private const int AmqpPort = 5672;
    private const int ManagementPort = 15672;

    private RabbitMqServer(string name, int port)
        : base(
            new RabbitMqBuilder(ContainerImages.RabbitMq)
                .WithName(ContainerName(name))
                .WithUsername(Username)
                .WithPassword(Password)
                .WithPortBinding(port, AmqpPort)
                .WithPortBinding(ManagementPort, assignRandomHostPort: true)
                .WithCreateParameterModifier(PublishOnLoopback)
                .Build(),
            ContainerName(name),
            port,
            TimeSpan.FromSeconds(90))
    {
    }

    /// <summary>Starts a broker; <paramref name="name"/> makes its container name, e.g. <c>e2e-3f9a1c2b-rabbitmq</c>.</summary>
    public static Task<RabbitMqServer> StartAsync(string name) => StartAsync(new RabbitMqServer(name, FreePort.Next()));

    /// <summary>
    /// Adds a virtual host that <see cref="Username"/> may use: exchanges and queues of its own,
    /// so a stack of services on a broker that others used before starts from nothing. Through
    /// the management API: rabbitmqctl takes seconds to start for each command.
    /// </summary>
    public async Task AddVirtualHostAsync(string name)
    {
        using var http = new HttpClient
        {
            BaseAddress = new Uri($"http://{Host}:{Container.GetMappedPublicPort(ManagementPort)}/api/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        var virtualHost = Uri.EscapeDataString(name);
        using var created = await http.PutAsync($"vhosts/{virtualHost}", content: null);
        created.EnsureSuccessStatusCode();
        using var permitted = await http.PutAsJsonAsync($"permissions/{virtualHost}/{Uri.EscapeDataString(Username)}", new { configure = ".*", write = ".*", read = ".*" });
        permitted.EnsureSuccessStatusCode();
    }
}
