using System.Diagnostics;
using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>
/// A <see cref="ChatClient"/> whose events are read in the background and kept, each with when it
/// arrived, so a test can wait for the event it cares about while others queue.
/// </summary>
public sealed class RecordingClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly List<(ChatEvent Event, TimeSpan At)> _events = [];
    private readonly List<(ChatEvent Event, TimeSpan At)> _unread = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _reading;

    public RecordingClient(ChatClient client)
    {
        Client = client;
        _reading = Task.Run(ReadAsync);
    }

    public ChatClient Client { get; }

    /// <summary>Completes when the event stream has ended.</summary>
    public Task Ended => _reading;

    /// <summary>Every event so far, with when it arrived (time since this recorder started).</summary>
    public IReadOnlyList<(ChatEvent Event, TimeSpan At)> History
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Takes the first unread event of type <typeparamref name="T"/> that matches, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<T> ExpectAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : ChatEvent
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            lock (_events)
            {
                var index = _unread.FindIndex(entry => entry.Event is T typed && (match is null || match(typed)));
                if (index >= 0)
                {
                    var found = (T)_unread[index].Event;
                    _unread.RemoveAt(index);
                    return found;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_reading.IsCompleted && _arrived.CurrentCount == 0))
            {
                throw new TimeoutException($"No {typeof(T).Name} event came; unread: [{string.Join(", ", Unread())}]");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Asserts that no unread event of type <typeparamref name="T"/> arrives within <paramref name="window"/>.</summary>
    public async Task ExpectNothingAsync<T>(TimeSpan window)
        where T : ChatEvent
    {
        await Task.Delay(window);
        var unexpected = Unread().OfType<T>().FirstOrDefault();
        Assert.True(unexpected is null, $"unexpected event: {unexpected}");
    }

    public IReadOnlyList<ChatEvent> Unread()
    {
        lock (_events)
        {
            return [.. _unread.Select(entry => entry.Event)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _reading.WaitAsync(DefaultTimeout);
    }

    private async Task ReadAsync()
    {
        await foreach (var chatEvent in Client.ReadEventsAsync())
        {
            lock (_events)
            {
                _events.Add((chatEvent, _clock.Elapsed));
                _unread.Add((chatEvent, _clock.Elapsed));
            }

            _arrived.Release();
        }

        _arrived.Release();
    }
}
