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

    public void Answer(string gatewayId, byte[] payload)
    {
        lock (_gate)
        {
            _answers.Add((gatewayId, payload));
        }
    }
}
