using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Messages published to a router whose outcome has not arrived yet. Each is answered exactly
/// once: by its outcome, or, if none comes within <see cref="GatewayOptions.AckTimeout"/> of
/// being published, by <see cref="TakeExpired"/>.
/// </summary>
internal sealed class PendingSends(TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly ConcurrentDictionary<string, PendingSend> _pending = new(StringComparer.Ordinal);

    // Deadlines are armed in (nearly) increasing order, so expiry only looks at the head.
    private readonly ConcurrentQueue<(string MessageId, long Deadline)> _deadlines = new();
    private readonly long _timeoutTicks = (long)(options.Value.AckTimeout.TotalSeconds * time.TimestampFrequency);

    public int Count => _pending.Count;

    /// <summary>Records the message before it is published: its outcome may arrive before the publish returns.</summary>
    public void Add(string messageId, PendingSend send) => _pending[messageId] = send;

    /// <summary>Starts the timeout once a router has received the message.</summary>
    public void Arm(string messageId) => _deadlines.Enqueue((messageId, time.GetTimestamp() + _timeoutTicks));

    public PendingSend? TryTake(string messageId) => _pending.TryRemove(messageId, out var send) ? send : null;

    public List<PendingSend> TakeExpired()
    {
        var now = time.GetTimestamp();
        var expired = new List<PendingSend>();
        while (_deadlines.TryPeek(out var head) && head.Deadline <= now && _deadlines.TryDequeue(out head))
        {
            if (_pending.TryRemove(head.MessageId, out var send))
            {
                expired.Add(send);
            }
        }

        return expired;
    }
}
