using System.Threading.Channels;
using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// A client's events, in the order they were published, for one reader. Unbounded: publishing
/// never waits or fails while the stream is open. The stream ends once, with the
/// <see cref="Disconnected"/> given to the first <see cref="Finish"/>; later events are dropped.
/// </summary>
internal sealed class EventStream
{
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>();
    private int _finished;

    public IAsyncEnumerable<ChatEvent> ReadAllAsync(CancellationToken cancellationToken) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    public void Publish(ChatEvent chatEvent) => _events.Writer.TryWrite(chatEvent);

    /// <summary>Publishes the last event and ends the stream; does nothing after the first time.</summary>
    public void Finish(Disconnected last)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        _events.Writer.TryWrite(last);
        _events.Writer.TryComplete();
    }
}
