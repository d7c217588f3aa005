using System.Collections.Concurrent;
using ChatPlatform.Gateway.DataPlane;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>The inbound publisher without Redis: records each payload and its shard, and answers the way a test sets up.</summary>
internal sealed class RecordingInboundPublisher : IInboundPublisher
{
    public ConcurrentQueue<(int Shard, byte[] Payload)> Published { get; } = new();

    /// <summary>Whether a router took the payload, or an exception; a router takes it by default.</summary>
    public Func<int, byte[], Task<bool>> OnPublish { get; set; } = (_, _) => Task.FromResult(true);

    public Task<bool> PublishAsync(int shard, byte[] payload, CancellationToken cancellationToken)
    {
        Published.Enqueue((shard, payload.ToArray()));
        return OnPublish(shard, payload);
    }
}
