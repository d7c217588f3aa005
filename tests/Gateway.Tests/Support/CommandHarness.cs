using System.Text;
using ChatPlatform.Gateway.Access;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>
/// The command handlers as the session drives them, over a recording presence client and inbound
/// publisher: a test sends a frame as a client would and reads what the client gets back.
/// </summary>
public abstract class CommandHarness : IDisposable
{
    private protected const int ShardCount = 16;
    private protected const string GatewayId = "gw-test";
    private protected static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private protected readonly ManualTimeProvider _time = new();
    private protected readonly MetricRecorder _metrics;
    private protected readonly LocalConnections _connections = new();
    private protected readonly RecordingPresenceClient _presence = new();
    private protected readonly RecordingRegistrySync _registrySync = new();
    private protected readonly RecordingInboundPublisher _publisher = new();
    private protected readonly RecordingSessionStore _sessions = new();
    private protected readonly InMemoryHistoryReader _history = new();
    private protected PendingRequests _pending = null!;
    private protected Acknowledgements _acknowledgements = null!;
    private protected ClientCommandHandler _handler = null!;

    private readonly TestMeterFactory _meters = new();

    private protected CommandHarness()
    {
        _metrics = new MetricRecorder(_meters);
        Configure(new GatewayOptions());
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meters.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds the handlers and what answers for them with <paramref name="options"/>.</summary>
    private protected void Configure(GatewayOptions options, AuthOptions? auth = null)
    {
        options.AckTimeout = AckTimeout;
        var gatewayOptions = Options.Create(options);
        var identity = new GatewayIdentity(GatewayId, "0193a6b2c3d47e8f9a0b1c2d3e4f5a6b");
        _pending = new PendingRequests(_time, gatewayOptions);
        var metrics = new GatewayMetrics(_meters, () => _connections.Count, () => _pending.Count);
        _acknowledgements = new Acknowledgements(_pending, metrics, _time, gatewayOptions);
        var requests = new RouterRequests(
            _publisher,
            _pending,
            _acknowledgements,
            Options.Create(new ShardingOptions { ShardCount = ShardCount }),
            _time,
            NullLogger<RouterRequests>.Instance);
        var access = new AccessRules(_connections, gatewayOptions, Options.Create(auth ?? new AuthOptions()));
        _handler = new ClientCommandHandler(
            access,
            new SendHandler(identity, requests, _time),
            new PresenceQueryHandler(identity, requests),
            new MembershipHandler(_connections, _presence, _registrySync, _sessions, NullLogger<MembershipHandler>.Instance),
            new HistoryHandler(_history, NullLogger<HistoryHandler>.Instance),
            metrics);
    }

    /// <summary>A connection as the endpoint leaves it after the welcome: known locally, its welcome read.</summary>
    private protected async Task<ConnectedClient> ConnectAsync(string id, string user, ConnectionGrants? grants = null)
    {
        var client = ConnectedClient.Start(new ClientConnection(id, user, 64, TimeSpan.FromSeconds(30), grants: grants), WebSocketPair.Create());
        _connections.Add(client.Connection);
        await client.SkipWelcomeAsync();
        return client;
    }

    /// <summary>What a token grants: its roles and private rooms, for an hour.</summary>
    private protected ConnectionGrants Token(string[]? roles = null, string[]? rooms = null) =>
        new(true, (roles ?? []).ToHashSet(StringComparer.Ordinal), (rooms ?? []).ToHashSet(StringComparer.Ordinal), _time.GetUtcNow().AddHours(1));

    private protected Task HandleAsync(ConnectedClient client, string frame) =>
        _handler.HandleAsync(client.Connection, Encoding.UTF8.GetBytes(frame));
}
