using System.Threading.Channels;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Registry;
using StackExchange.Redis;

namespace ChatPlatform.Router.Registry;

/// <summary>
/// Keeps <see cref="RegistryCache"/> current: applies the registry change stream as it arrives,
/// and reloads the whole registry at start, after the subscription connection was lost, and
/// whenever the stream shows a gap.
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
    private volatile bool _resubscribe;

    /// <summary>Completes once the cache holds the whole registry for the first time.</summary>
    public Task FirstSync => _firstSync.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await subscriber.SubscribeAsync(RedisNames.RegistryChanges, OnChange);
            RequestResync();
            await foreach (var _ in _resyncRequests.Reader.ReadAllAsync(stoppingToken))
            {
                await ResyncAsync(subscriber, stoppingToken);
            }
        }
        finally
        {
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private void OnChange(RedisChannel channel, RedisValue value)
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

    private async Task ResyncAsync(ISubscriber subscriber, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                if (_resubscribe)
                {
                    // The client resubscribes by itself after a reconnect, but only an awaited
                    // SUBSCRIBE proves the stream is live before the snapshot is read.
                    await subscriber.UnsubscribeAsync(RedisNames.RegistryChanges, OnChange);
                    await subscriber.SubscribeAsync(RedisNames.RegistryChanges, OnChange);
                    _resubscribe = false;
                }

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
