using ChatPlatform.Contracts.Connections;
using ChatPlatform.Testing;
using MassTransit;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// The gateway's side of the control plane: a MassTransit bus of its own on the same broker,
/// sending what a gateway sends, the way the gateway sends it (a published request, events).
/// </summary>
internal sealed class GatewayBus : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    private readonly IBusControl _bus;

    private GatewayBus(IBusControl bus) => _bus = bus;

    public static async Task<GatewayBus> StartAsync(RabbitMqServer rabbitMq)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(rabbitMq.Host, (ushort)rabbitMq.Port, "/", host =>
            {
                host.Username(RabbitMqServer.Username);
                host.Password(RabbitMqServer.Password);
                host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
            });
        });
        using var timeout = new CancellationTokenSource(StartTimeout);
        await bus.StartAsync(timeout.Token);
        return new GatewayBus(bus);
    }

    public bool IsHealthy => _bus.CheckHealth().Status == BusHealthStatus.Healthy;

    public async Task<ConnectionRegistered> RegisterAsync(RegisterConnection request, TimeSpan? timeout = null)
    {
        var client = _bus.CreateRequestClient<RegisterConnection>(RequestTimeout.After(ms: (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds));
        var response = await client.GetResponse<ConnectionRegistered>(request);
        return response.Message;
    }

    public async Task<TResponse> RequestAsync<TRequest, TResponse>(TRequest request, TimeSpan? timeout = null)
        where TRequest : class
        where TResponse : class
    {
        var client = _bus.CreateRequestClient<TRequest>(RequestTimeout.After(ms: (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds));
        return (await client.GetResponse<TResponse>(request)).Message;
    }

    public async Task PublishAsync<T>(T message)
        where T : class
    {
        using var timeout = new CancellationTokenSource(PublishTimeout);
        await _bus.Publish(message, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _bus.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Nothing more to do for a bus that does not stop in time.
        }
    }
}
