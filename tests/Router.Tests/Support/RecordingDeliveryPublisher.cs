using ChatPlatform.Router.History;
using ChatPlatform.Router.Routing;

namespace ChatPlatform.Router.Tests.Support;

/// <summary>
/// Records what <see cref="MessageRouter"/> publishes, in order. Each delivery publish is answered
/// by <see cref="OnPublish"/>: by default one subscriber, at once.
/// </summary>
internal sealed class RecordingDeliveryPublisher : IDeliveryPublisher
{
    private readonly Lock _gate = new();
    private readonly List<(string GatewayId, byte[] Payload)> _deliveries = [];
    private readonly List<(string GatewayId, byte[] Payload)> _answers = [];
    private readonly List<StoredCall> _stored = [];
    private long _offset;

    /// <summary>What Redis answers an append: by default stored at the next offset of epoch "e1", each gateway's publish reaching one subscriber.</summary>
    public Func<StoredCall, Task<StoredPublish?>> OnPublishStored { get; set; }

    public RecordingDeliveryPublisher() =>
        OnPublishStored = call => Task.FromResult<StoredPublish?>(new StoredPublish("e1", Interlocked.Increment(ref _offset), [.. call.GatewayIds.Select(_ => 1L)]));

    public IReadOnlyList<StoredCall> Stored
    {
        get
        {
            lock (_gate)
            {
                return [.. _stored];
            }
        }
    }

    /// <summary>What Redis answers a delivery publish to this gateway: how many subscribers, or a failure.</summary>
    public Func<string, Task<long>> OnPublish { get; set; } = _ => Task.FromResult(1L);

    public IReadOnlyList<(string GatewayId, byte[] Payload)> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    public IReadOnlyList<(string GatewayId, byte[] Payload)> Answers
    {
        get
        {
            lock (_gate)
            {
                return [.. _answers];
            }
        }
    }

    public Task<long> PublishAsync(string gatewayId, byte[] payload)
    {
        lock (_gate)
        {
            _deliveries.Add((gatewayId, payload));
        }

        return OnPublish(gatewayId);
    }

    public Task<StoredPublish?> PublishStoredAsync(string stream, string? resumableUser, IReadOnlyList<string> gatewayIds, byte[] prefix)
    {
        var call = new StoredCall(stream, resumableUser, [.. gatewayIds], prefix);
        lock (_gate)
        {
            _stored.Add(call);
        }

        return OnPublishStored(call);
    }

    public void Answer(string gatewayId, byte[] payload)
    {
        lock (_gate)
        {
            _answers.Add((gatewayId, payload));
        }
    }
}

/// <summary>One append-and-publish, as <see cref="MessageRouter"/> asked for it.</summary>
internal sealed record StoredCall(string Stream, string? ResumableUser, string[] GatewayIds, byte[] Prefix);
