using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// The offset of the last message the client handed on in each stream: what a resume names as
/// <c>since</c>, and what keeps a message from being handed on twice. The gateway promises each
/// offset once per stream, in order; but a resume that had to leave out some <c>since</c> entries
/// (to keep the address short) gets those streams again from further back, and a message seen
/// on an earlier connection is dropped here, recovered or live. On one connection offsets only
/// go up, so one that does not means the stream started again from 1 (a new epoch: it expired or
/// the store lost it, which message frames do not say), and that message is handed on.
/// Thread-safe; connections follow each other, one at a time.
/// </summary>
internal sealed class StreamPositions
{
    private readonly Lock _gate = new();
    /// <summary>Per stream: the last offset handed on, when it moved (to put the latest first), and on which connection.</summary>
    private readonly Dictionary<string, (long Offset, long Sequence, int Connection)> _last = new(StringComparer.Ordinal);
    private long _sequence;
    private int _connection;

    /// <summary>A new connection was welcomed: what it hands on next is checked against what came before it.</summary>
    public void StartConnection()
    {
        lock (_gate)
        {
            _connection++;
        }
    }

    /// <summary>
    /// Whether to hand <paramref name="chatEvent"/> on to the app: not a message whose offset is at
    /// or below the last one an earlier connection handed on in its stream. Moves the stream's
    /// position on. A resume that comes back incomplete forgets every position, since a stream
    /// may have started again.
    /// </summary>
    public bool Admit(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case MessageReceived { Stream: { } stream, Offset: { } offset }:
                lock (_gate)
                {
                    if (_last.TryGetValue(stream, out var last) && offset <= last.Offset && last.Connection != _connection)
                    {
                        return false;
                    }

                    _last[stream] = (offset, ++_sequence, _connection);
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
