using System.Threading.Channels;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace ChatPlatform.Router.Registry;

/// <summary>
/// Keeps <see cref="RegistryCache"/> current: applies the registry change stream, and reloads
/// the whole registry at start, after the subscription connection was lost, and whenever the
/// stream shows a gap. Changes are applied before any inbound message that reached the router
/// after them (<see cref="CatchUp"/>), so a connection registered before a message was published
/// is in the cache when that message is routed.
/// </summary>
internal sealed class RegistrySynchronizer(
    IConnectionMultiplexer redis,
    RegistryCache cache,
    ILogger<RegistrySynchronizer> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _resyncRequests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LeadingSubscription? _changes;
    private volatile bool _resubscribe;

    /// <summary>Completes once the cache holds the whole registry for the first time.</summary>
    public Task FirstSync => _firstSync.Task;

    /// <summary>Applies every registry change that reached this router so far; call before routing a message.</summary>
    public void CatchUp() => _changes?.CatchUp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            _changes = await SubscribeAsync();
            RequestResync();
            await foreach (var _ in _resyncRequests.Reader.ReadAllAsync(stoppingToken))
            {
                await ResyncAsync(stoppingToken);
            }
        }
        finally
        {
            redis.ConnectionRestored -= OnConnectionRestored;
            if (_changes is { } changes)
            {
                await changes.DisposeAsync();
            }
        }
    }

    private Task<LeadingSubscription> SubscribeAsync() =>
        LeadingSubscription.SubscribeAsync(
            redis,
            RedisChannel.Literal(RedisNames.RegistryChanges),
            OnChange,
            exception => Log.MalformedRegistryChange(logger, exception));

    private void OnChange(RedisValue value)
    {
        RegistryChange change;
        try
        {
            change = RegistryChangeCodec.Parse(value!);
        }
        catch (FormatException exception)
        {
            Log.MalformedRegistryChange(logger, exception);
            RequestResync();
            return;
        }

        if (!cache.Apply(change))
        {
            Log.RegistryChangesMissed(logger, change.Sequence);
            RequestResync();
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            // Changes published while the subscription was down are lost.
            _resubscribe = true;
            RequestResync();
        }
    }

    private void RequestResync() => _resyncRequests.Writer.TryWrite(true);

    private async Task ResyncAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                if (_resubscribe)
                {
                    // The client resubscribes by itself after a reconnect; a fresh subscription
                    // makes sure of it. What the old one still holds arrived earlier: applied first.
                    if (_changes is { } old)
                    {
                        old.CatchUp();
                        _changes = null;
                        await old.DisposeAsync();
                        old.CatchUp();
                    }

                    _changes = await SubscribeAsync();
                    _resubscribe = false;
                }

                // The snapshot only counts if the change stream is live while it is read.
                await _changes!.ConfirmAsync();

                // Changes that arrived before the snapshot is read go in before it.
                CatchUp();

                cache.BeginResync();
                var connections = await LoadConnectionsAsync();
                var memberships = await LoadMembershipsAsync();
                cache.CompleteResync(connections, memberships);
                _firstSync.TrySetResult();
                Log.RegistryLoaded(logger, connections.Count, cache.UserCount, cache.RoomCount);
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                Log.RegistryLoadFailed(logger, exception);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task<List<RegistryEntry>> LoadConnectionsAsync()
    {
        var database = redis.GetDatabase();
        var gateways = await database.HashKeysAsync(RedisNames.GatewayInstances);
        var reads = gateways
            .Select(gateway => (Gateway: (string)gateway!, Connections: database.HashGetAllAsync(RedisNames.GatewayConnections(gateway!))))
            .ToList();
        var entries = new List<RegistryEntry>();
        foreach (var (gateway, connections) in reads)
        {
            foreach (var connection in await connections)
            {
                entries.Add(new RegistryEntry(gateway, connection.Name!, connection.Value!));
            }
        }

        return entries;
    }

    private async Task<List<MembershipEntry>> LoadMembershipsAsync()
    {
        var database = redis.GetDatabase();
        var rooms = await database.SetMembersAsync(RedisNames.Rooms);
        var reads = rooms
            .Select(room => (Room: (string)room!, Members: database.HashKeysAsync(RedisNames.RoomMembers(room!))))
            .ToList();
        var entries = new List<MembershipEntry>();
        foreach (var (room, members) in reads)
        {
            foreach (var connection in await members)
            {
                entries.Add(new MembershipEntry(room, connection!));
            }
        }

        return entries;
    }
}
