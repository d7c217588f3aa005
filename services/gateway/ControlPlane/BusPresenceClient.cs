using System.Threading.Channels;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Gateway.Connections;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.ControlPlane;

/// <summary>Talks to presence over MassTransit: a request/response to register, events to report closes.</summary>
internal sealed class BusPresenceClient : BackgroundService, IPresenceClient
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IBus _bus;
    private readonly GatewayIdentity _identity;
    private readonly IRequestClient<RegisterConnection> _register;
    private readonly ILogger<BusPresenceClient> _logger;
    private readonly Channel<ConnectionClosed> _closed = Channel.CreateUnbounded<ConnectionClosed>(new UnboundedChannelOptions { SingleReader = true });

    public BusPresenceClient(IBus bus, GatewayIdentity identity, IOptions<GatewayOptions> options, ILogger<BusPresenceClient> logger)
    {
        _bus = bus;
        _identity = identity;
        _logger = logger;

        // The request expires with its timeout, so presence never registers a connection whose
        // gateway gave up waiting (and a late one is caught by the closed marker anyway).
        _register = bus.CreateRequestClient<RegisterConnection>(RequestTimeout.After(ms: (int)options.Value.RegistrationTimeout.TotalMilliseconds));
    }

    public async Task RegisterAsync(ClientConnection connection, CancellationToken cancellationToken)
    {
        Response<ConnectionRegistered> response;
        try
        {
            response = await _register.GetResponse<ConnectionRegistered>(
                new RegisterConnection(_identity.Id, _identity.Instance, connection.Id, connection.UserId),
                cancellationToken);
        }
        catch (RequestTimeoutException exception)
        {
            throw new PresenceUnavailableException("presence did not confirm the connection in time", exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new PresenceUnavailableException("the control-plane bus is unavailable", exception);
        }

        if (!response.Message.Accepted)
        {
            throw new PresenceUnavailableException("presence refused the connection");
        }
    }

    public void ReportClosed(ClientConnection connection) =>
        _closed.Writer.TryWrite(new ConnectionClosed(_identity.Id, _identity.Instance, connection.Id, connection.UserId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var closed in _closed.Reader.ReadAllAsync(stoppingToken))
        {
            while (true)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(PublishTimeout);
                try
                {
                    await _bus.Publish(closed, timeout.Token);
                    break;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.ReportClosedFailed(_logger, closed.ConnectionId, exception);
                    await Task.Delay(RetryDelay, stoppingToken);
                }
            }
        }
    }
}
