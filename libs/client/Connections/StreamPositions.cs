using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// The offset of the last message the client handed on in each stream: what a resume names as
/// <c>since</c>, and what keeps a message from being handed on twice. The gateway promises each
/// offset once per stream; a resume that had to leave out some <c>since</c> entries (to keep the
/// address short) gets those streams again from further back, and this drops what was seen.
/// Thread-safe.
/// </summary>
internal sealed class StreamPositions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Offset, long Sequence)> _last = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>
    /// Whether to hand <paramref name="chatEvent"/> on to the app: not a message whose offset is at
    /// or below the last one handed on in its stream. Moves the stream's position on. A resume that
    /// comes back incomplete forgets every position: a stream may have a new epoch, whose offsets
    /// start again from 1, and message frames do not say which.
    /// </summary>
    public bool Admit(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case MessageReceived { Stream: { } stream, Offset: { } offset }:
                lock (_gate)
                {
                    if (_last.TryGetValue(stream, out var last) && offset <= last.Offset)
                    {
                        return false;
                    }

                    _last[stream] = (offset, ++_sequence);
                    return true;
                }

            case Recovered { Complete: false }:
                lock (_gate)
                {
                    _last.Clear();
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>Forgets a stream the client no longer follows (a room it left), so it costs no <c>since</c>.</summary>
    public void Forget(string stream)
    {
        lock (_gate)
        {
            _last.Remove(stream);
        }
    }

    /// <summary>Every stream's position, the one that moved last first.</summary>
    public StreamPosition[] Latest()
    {
        lock (_gate)
        {
            return [.. _last.OrderByDescending(entry => entry.Value.Sequence).Select(entry => new StreamPosition(entry.Key, entry.Value.Offset))];
        }
    }
}
