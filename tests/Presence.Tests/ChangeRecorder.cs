using System.Collections.Concurrent;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// Subscribes to the registry change channel, as a router does, and records every change in the
/// order it arrived, parsed with the contract's own parser.
/// </summary>
internal sealed class ChangeRecorder : IAsyncDisposable
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(10);

    private readonly ConnectionMultiplexer _redis;

    // Under the change channel's name, so one pattern subscription (one ordered queue) gets both.
    private readonly RedisChannel _barrierChannel = RedisChannel.Literal($"{RedisNames.RegistryChanges}:barrier:{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _barriers = new();
    private readonly Lock _gate = new();
    private readonly List<RegistryChange> _changes = [];
    private readonly List<string> _malformed = [];

    private ChannelMessageQueue? _queue;
    private Task? _loop;

    private ChangeRecorder(ConnectionMultiplexer redis) => _redis = redis;

    public static async Task<ChangeRecorder> StartAsync(string connectionString)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var recorder = new ChangeRecorder(redis);

        // One ordered queue for the changes and the barriers: a barrier arrives after every change
        // published before it.
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(RedisNames.RegistryChanges + "*"));
        recorder._queue = queue;
        recorder._loop = Task.Run(async () =>
        {
            await foreach (var message in queue)
            {
                if (message.Channel == recorder._barrierChannel)
                {
                    recorder.Release(message.Message);
                }
                else
                {
                    recorder.Record(message.Message);
                }
            }
        });
        return recorder;
    }

    /// <summary>
    /// A mark for <see cref="Since"/>: the number of changes once every change published before
    /// the call has arrived (so none of them shows up after the mark).
    /// </summary>
    public async Task<int> MarkAsync()
    {
        await SyncAsync();
        lock (_gate)
        {
            return _changes.Count;
        }
    }

    /// <summary>The changes that arrived after <paramref name="mark"/>, in arrival order.</summary>
    public IReadOnlyList<RegistryChange> Since(int mark)
    {
        lock (_gate)
        {
            Assert.True(_malformed.Count == 0, $"Malformed registry changes: {string.Join(" | ", _malformed)}");
            return _changes.Skip(mark).ToList();
        }
    }

    /// <summary>
    /// Returns once every change published before the call has arrived: a message published
    /// afterwards on another channel comes back on the same subscription, in order.
    /// </summary>
    public async Task SyncAsync()
    {
        if (!await TrySyncAsync(SyncTimeout))
        {
            throw new TimeoutException($"The change subscription did not deliver a message within {SyncTimeout}.");
        }
    }

    /// <summary>As <see cref="SyncAsync"/>; false when the subscription is not live (yet).</summary>
    public async Task<bool> TrySyncAsync(TimeSpan timeout)
    {
        var token = Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _barriers[token] = arrived;
        try
        {
            await _redis.GetSubscriber().PublishAsync(_barrierChannel, token);
            await arrived.Task.WaitAsync(timeout);
            return true;
        }
        catch (Exception exception) when (exception is TimeoutException or RedisConnectionException)
        {
            return false;
        }
        finally
        {
            _barriers.TryRemove(token, out _);
        }
    }

    /// <summary>Waits until a change after <paramref name="mark"/> matches, and returns it.</summary>
    public async Task<RegistryChange> WaitForAsync(int mark, Func<RegistryChange, bool> match, TimeSpan timeout, string description)
    {
        RegistryChange? found = null;
        await Eventually.HoldsAsync(
            () => Task.FromResult((found = Since(mark).FirstOrDefault(match)) is not null),
            timeout,
            description);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue is not null)
        {
            await _queue.UnsubscribeAsync();
            await _loop!.WaitAsync(SyncTimeout);
        }

        await _redis.DisposeAsync();
    }

    private void Record(RedisValue value)
    {
        lock (_gate)
        {
            try
            {
                _changes.Add(RegistryChangeCodec.Parse(value!));
            }
            catch (FormatException)
            {
                _malformed.Add(value!);
            }
        }
    }

    private void Release(RedisValue token)
    {
        if (_barriers.TryRemove(token!, out var arrived))
        {
            arrived.TrySetResult();
        }
    }
}
