using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Subscribes to this gateway's own channel, where routers publish deliveries and moderation for
/// its connections and the answers to what its connections and server API calls sent.
/// </summary>
internal sealed class GatewayChannelListener(
    IConnectionMultiplexer redis,
    GatewayIdentity identity,
    LocalConnections connections,
    Acknowledgements acknowledgements,
    IModerationHandler moderation,
    GatewayMetrics metrics,
    ILogger<GatewayChannelListener> logger) : IHostedService
{
    private OrderedSubscription? _subscription;

    public bool IsSubscribed => _subscription is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // In order: a connection's deliveries, and its outcomes, arrive as routers published them.
        // Recorded even while Redis is down; the client subscribes once it connects.
        _subscription = await OrderedSubscription.SubscribeAsync(
            redis,
            RedisChannel.Literal(RedisNames.GatewayChannel(identity.Id)),
            OnPayload,
            exception => Log.PayloadFailed(logger, exception));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    private void OnPayload(RedisValue value)
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
                case PayloadKind.PresenceAnswer:
                    acknowledgements.OnAnswer(DataPlaneCodec.DecodePresenceAnswer(payload));
                    break;
                case PayloadKind.Membership:
                    Announce(DataPlaneCodec.DecodeMembership(payload));
                    break;
                case PayloadKind.Moderation:
                    moderation.Apply(DataPlaneCodec.DecodeModeration(payload));
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
        // A room or everyone leaves out the sender's own connection.
        var skip = delivery.Target.Kind is TargetKind.Room or TargetKind.Everyone ? delivery.FromConnection : null;
        byte[]? frame = null;
        var delivered = 0;
        foreach (var recipient in connections.Resolve(delivery.Target))
        {
            frame ??= ServerFrames.Message(delivery);
            if (recipient.Id != skip && recipient.TrySend(frame, delivery.Position))
            {
                delivered++;
            }
        }

        if (frame is null)
        {
            // The recipient closed after the router resolved it.
            metrics.DeliveryMissed();
            return;
        }

        metrics.Delivered(delivered);
        activity?.SetTag("chat.recipients", delivered);
    }

    /// <summary>Tells the local members of a room that a user joined or left it.</summary>
    private void Announce(MembershipEvent membership)
    {
        var frame = ServerFrames.Membership(membership);
        foreach (var member in connections.Resolve(MessageTarget.Room(membership.Room)))
        {
            if (member.Id != membership.ExcludeConnection)
            {
                member.TrySend(frame);
            }
        }

        metrics.Announced(membership.Kind);
    }
}
