using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Messages and presence questions published to a router whose answer has not arrived yet,
/// keyed by message or query id. Each is answered exactly once: by the router, or, if nothing
/// comes within <see cref="GatewayOptions.AckTimeout"/> of being published, by <see cref="TakeExpired"/>.
/// </summary>
internal sealed class PendingRequests(TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);

    // Deadlines are armed in (nearly) increasing order, so expiry only looks at the head.
    private readonly ConcurrentQueue<(string RequestKey, long Deadline)> _deadlines = new();
    private readonly long _timeoutTicks = (long)(options.Value.AckTimeout.TotalSeconds * time.TimestampFrequency);

    public int Count => _pending.Count;

    /// <summary>Records the request before it is published: its answer may arrive before the publish returns.</summary>
    public void Add(string key, PendingRequest request) => _pending[key] = request;

    /// <summary>Starts the timeout once a router has received the request.</summary>
    public void Arm(string key) => _deadlines.Enqueue((key, time.GetTimestamp() + _timeoutTicks));

    public PendingRequest? TryTake(string key) => _pending.TryRemove(key, out var request) ? request : null;

    public List<PendingRequest> TakeExpired()
    {
        var now = time.GetTimestamp();
        var expired = new List<PendingRequest>();
        while (_deadlines.TryPeek(out var head) && head.Deadline <= now && _deadlines.TryDequeue(out head))
        {
            if (_pending.TryRemove(head.RequestKey, out var request))
            {
                expired.Add(request);
            }
        }

        return expired;
    }
}
