using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Subscribes to this gateway's own channel, where routers publish deliveries for its
/// connections and the outcomes of messages its connections sent.
/// </summary>
internal sealed class GatewayChannelListener(
    IConnectionMultiplexer redis,
    GatewayIdentity identity,
    LocalConnections connections,
    Acknowledgements acknowledgements,
    GatewayMetrics metrics,
    ILogger<GatewayChannelListener> logger) : IHostedService
{
    public bool IsSubscribed { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Recorded even while Redis is down; the client subscribes once it connects.
        await redis.GetSubscriber().SubscribeAsync(RedisNames.GatewayChannel(identity.Id), OnPayload);
        IsSubscribed = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().UnsubscribeAsync(RedisNames.GatewayChannel(identity.Id), OnPayload);

    private void OnPayload(RedisChannel channel, RedisValue value)
    {
        try
        {
            var payload = (byte[])value!;
            switch (DataPlaneCodec.PeekKind(payload))
            {
                case PayloadKind.Delivery:
                    Deliver(DataPlaneCodec.DecodeDelivery(payload));
                    break;
                case PayloadKind.Outcome:
                    acknowledgements.OnOutcome(DataPlaneCodec.DecodeOutcome(payload));
                    break;
                default:
                    Log.UnexpectedPayload(logger, payload[0]);
                    break;
            }
        }
        catch (Exception exception)
        {
            // One bad payload must not stop the dispatch for every other connection.
            Log.PayloadFailed(logger, exception);
        }
    }

    private void Deliver(Delivery delivery)
    {
        using var activity = GatewayTelemetry.StartDeliver(delivery.TraceParent);
        var recipients = connections.Resolve(delivery.Target);
        if (recipients.Count == 0)
        {
            // The recipient closed after the router resolved it.
            metrics.DeliveryMissed();
            return;
        }

        var frame = ServerFrames.Message(delivery);
        foreach (var recipient in recipients)
        {
            if (recipient.TrySend(frame))
            {
                metrics.Delivered();
            }
        }

        activity?.SetTag("chat.recipients", recipients.Count);
    }
}
