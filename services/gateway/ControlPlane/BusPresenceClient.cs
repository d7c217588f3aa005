using System.Threading.Channels;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Rooms;
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
    private readonly IRequestClient<JoinRoom> _join;
    private readonly IRequestClient<LeaveRoom> _leave;
    private readonly IRequestClient<RecordHeartbeat> _heartbeat;
    private readonly IRequestClient<SyncGatewayConnections> _sync;
    private int _queuedCloses;
    private readonly ILogger<BusPresenceClient> _logger;
    private readonly Channel<ConnectionClosed> _closed = Channel.CreateUnbounded<ConnectionClosed>(new UnboundedChannelOptions { SingleReader = true });

    public BusPresenceClient(IBus bus, GatewayIdentity identity, IOptions<GatewayOptions> options, ILogger<BusPresenceClient> logger)
    {
        _bus = bus;
        _identity = identity;
        _logger = logger;

        // Requests expire with their timeout, so presence never acts on one its gateway gave up
        // on (and a late registration is caught by the closed marker anyway).
        var timeout = RequestTimeout.After(ms: (int)options.Value.PresenceTimeout.TotalMilliseconds);
        _register = bus.CreateRequestClient<RegisterConnection>(timeout);
        _join = bus.CreateRequestClient<JoinRoom>(timeout);
        _leave = bus.CreateRequestClient<LeaveRoom>(timeout);

        // A heartbeat older than its interval says nothing. A report may be large, but one lost
        // in an outage must not hold up the next: reports are safe to repeat.
        _heartbeat = bus.CreateRequestClient<RecordHeartbeat>(RequestTimeout.After(ms: (int)options.Value.HeartbeatInterval.TotalMilliseconds));
        _sync = bus.CreateRequestClient<SyncGatewayConnections>(RequestTimeout.After(s: 10));
    }

    public int QueuedCloseReports => Volatile.Read(ref _queuedCloses);

    public async Task RegisterAsync(ClientConnection connection, CancellationToken cancellationToken)
    {
        var response = await RequestAsync<RegisterConnection, ConnectionRegistered>(
            _register,
            new RegisterConnection(_identity.Id, _identity.Instance, connection.Id, connection.UserId, connection.Sequence),
            cancellationToken);
        if (!response.Accepted)
        {
            throw new PresenceUnavailableException("presence refused the connection");
        }
    }

    public async Task<bool> JoinAsync(ClientConnection connection, string room, long sequence, CancellationToken cancellationToken) =>
        (await RequestAsync<JoinRoom, RoomJoined>(
            _join,
            new JoinRoom(_identity.Id, _identity.Instance, connection.Id, connection.UserId, room, sequence),
            cancellationToken)).Accepted;

    public Task LeaveAsync(ClientConnection connection, string room, long sequence, CancellationToken cancellationToken) =>
        RequestAsync<LeaveRoom, RoomLeft>(_leave, new LeaveRoom(_identity.Id, connection.Id, room, sequence), cancellationToken);

    private static async Task<TResponse> RequestAsync<TRequest, TResponse>(IRequestClient<TRequest> client, TRequest request, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            // WaitAsync: while the broker connection is being re-established, MassTransit's send
            // can outlast the token; a stopping gateway must not wait for it.
            return (await client.GetResponse<TResponse>(request, cancellationToken).WaitAsync(cancellationToken)).Message;
        }
        catch (RequestTimeoutException exception)
        {
            throw new PresenceUnavailableException("presence did not answer in time", exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new PresenceUnavailableException("the control-plane bus is unavailable", exception);
        }
    }

    public void ReportClosed(ClientConnection connection)
    {
        Interlocked.Increment(ref _queuedCloses);
        _closed.Writer.TryWrite(new ConnectionClosed(_identity.Id, _identity.Instance, connection.Id, connection.UserId));
    }

    public async Task<HeartbeatRecorded?> RecordHeartbeatAsync(int connections, CancellationToken cancellationToken)
    {
        try
        {
            return await RequestAsync<RecordHeartbeat, HeartbeatRecorded>(_heartbeat, new RecordHeartbeat(_identity.Id, _identity.Instance, connections), cancellationToken);
        }
        catch (PresenceUnavailableException exception)
        {
            Log.HeartbeatFailed(_logger, exception.Message);
            return null;
        }
    }

    public Task<GatewayConnectionsSynced> SyncAsync(long upToSequence, IReadOnlyList<GatewayConnection> connections, CancellationToken cancellationToken) =>
        RequestAsync<SyncGatewayConnections, GatewayConnectionsSynced>(
            _sync,
            new SyncGatewayConnections(_identity.Id, _identity.Instance, upToSequence, connections),
            cancellationToken);

    public Task ReportStoppedAsync(CancellationToken cancellationToken) =>
        _bus.Publish(new GatewayStopped(_identity.Id, _identity.Instance), cancellationToken).WaitAsync(cancellationToken);

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
                    Interlocked.Decrement(ref _queuedCloses);
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
