using ChatPlatform.Client;
using ChatPlatform.Client.Events;
using ChatPlatform.Load.Stats;

namespace ChatPlatform.Load.Running;

/// <summary>One connected client of the run: it sends on a fixed schedule and reads everything that comes to it.</summary>
internal sealed class LoadClient
{
    /// <summary>
    /// Sends waiting for their acks; at this many the schedule waits instead of piling up calls
    /// against a stack that no longer answers (they fail after the request timeout).
    /// </summary>
    private const int MaxInFlight = 1_000;

    /// <summary>A schedule this far behind starts again from now instead of sending the backlog at once.</summary>
    private const long MaxLagMicroseconds = 1_000_000;

    private readonly LoadSettings _settings;
    private readonly LoadRecorder _recorder;
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private Task _reading = Task.CompletedTask;
    private long _pending;
    private long _nextSequence;
    private volatile bool _closing;

    public LoadClient(int index, ChatClient client, LoadSettings settings, LoadRecorder recorder)
    {
        Index = index;
        Client = client;
        _settings = settings;
        _recorder = recorder;
    }

    public int Index { get; }

    public ChatClient Client { get; }

    public string User => _settings.UserName(Index);

    /// <summary>Sends made whose answer has not come yet.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Reads the client's events until it is closed.</summary>
    public void StartReading() => _reading = Task.Run(ReadAsync);

    /// <summary>
    /// Sends one message every 1/rate seconds from a random point in the first interval (so the
    /// clients do not all send at the same instant) until <paramref name="endUs"/>, the budget is
    /// spent, or <paramref name="stop"/>. Sends do not wait for earlier acks: a slow stack does not
    /// slow the schedule down, it shows as latency. Returns when the last send was made.
    /// </summary>
    public async Task<long> SendLoopAsync(Func<LoadClient, ChatTarget> pickTarget, SendBudget budget, long startUs, long endUs, CancellationToken stop)
    {
        var intervalUs = 1e6 / _settings.Rate;
        var nextUs = startUs + (Random.Shared.NextDouble() * intervalUs);
        var lastSendUs = startUs;
        try
        {
            // Each pass sends one message and moves the schedule on by one interval (or to now), so
            // the pass count is bounded by rate × duration, or by the time for the lagging case.
            while (!stop.IsCancellationRequested && nextUs < endUs)
            {
                var waitUs = nextUs - Clock.NowMicroseconds();
                if (waitUs > 0)
                {
                    await Task.Delay(TimeSpan.FromMicroseconds(waitUs), stop);
                }

                await _inFlight.WaitAsync(stop);
                if (!budget.TryTake())
                {
                    _inFlight.Release();
                    break;
                }

                lastSendUs = Clock.NowMicroseconds();
                _ = SendAsync(pickTarget(this), lastSendUs);
                nextUs += intervalUs;
                var now = Clock.NowMicroseconds();
                if (now - nextUs > MaxLagMicroseconds)
                {
                    // The sends the schedule passes over are counted, so a generator that cannot keep up says so.
                    _recorder.Skipped((long)((now - nextUs) / intervalUs));
                    nextUs = now;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted: the sends made so far are still answered and counted.
        }

        return lastSendUs;
    }

    /// <summary>Stops counting disconnects: closing the client reports one of its own.</summary>
    public async Task CloseAsync(TimeSpan readerTimeout)
    {
        _closing = true;
        await Client.DisposeAsync();
        try
        {
            await _reading.WaitAsync(readerTimeout);
        }
        catch (TimeoutException)
        {
            // The stream ends with the client; a reader that has not finished by now has nothing left to count.
        }
    }

    private async Task SendAsync(ChatTarget target, long sentUs)
    {
        var sequence = _nextSequence++;
        Interlocked.Increment(ref _pending);
        _recorder.Sending();
        try
        {
            // Not cancelled with the run: a send already made is waited for (at most the request timeout), so its ack is counted.
            var result = await Client.SendAsync(target, new LoadBody(_settings.RunId, Index, sequence, sentUs));
            _recorder.Acked(Index, sequence, result.Recipients, Clock.NowMicroseconds() - sentUs);
        }
        catch (ChatException exception)
        {
            _recorder.Failed(exception.Code);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _recorder.Failed(exception.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
            _inFlight.Release();
        }
    }

    private async Task ReadAsync()
    {
        await foreach (var chatEvent in Client.ReadEventsAsync())
        {
            switch (chatEvent)
            {
                case MessageReceived message:
                    var now = Clock.NowMicroseconds();
                    if (LoadBody.TryRead(message.Body, out var body) && body.Run == _settings.RunId && body.From >= 0 && body.From < _settings.Clients && body.Seq >= 0)
                    {
                        _recorder.Delivered(Index, body.From, body.Seq, now - body.SentUs, now);
                    }
                    else
                    {
                        _recorder.Foreign();
                    }

                    break;
                case Disconnected when !_closing:
                    _recorder.Disconnected();
                    break;
            }
        }
    }
}
