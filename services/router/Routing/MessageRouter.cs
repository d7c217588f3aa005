using System.Diagnostics;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Sharding;
using StackExchange.Redis;

namespace ChatPlatform.Router.Routing;

/// <summary>
/// Routes inbound messages: resolves the target from the registry cache, publishes one delivery
/// to each gateway that holds a target connection, then tells the sender's gateway the outcome.
/// Called by the subscription in Redis order; the publishes for a message are issued before the
/// call returns, so deliveries leave in the order messages arrived.
/// </summary>
internal sealed class MessageRouter(
    RegistryCache registry,
    ShardOwnership ownership,
    GatewayChannels channels,
    IConnectionMultiplexer redis,
    RouterMetrics metrics,
    TimeProvider time,
    ILogger<MessageRouter> logger)
{
    public void OnInbound(int shard, RedisValue payload)
    {
        if (!ownership.IsOwned(shard))
        {
            metrics.Dropped("not_owner");
            Log.DroppedNotOwner(logger, shard);
            return;
        }

        InboundMessage message;
        try
        {
            message = DataPlaneCodec.DecodeInbound((byte[])payload!);
        }
        catch (FormatException exception)
        {
            metrics.Dropped("malformed");
            Log.MalformedInbound(logger, shard, exception);
            return;
        }

        try
        {
            Route(message);
        }
        catch (Exception exception)
        {
            // Never let one message take the subscription's dispatch down; the sender's gateway
            // answers the client when no outcome arrives.
            Log.RouteFailed(logger, message.MessageId, exception);
        }
    }

    private void Route(InboundMessage message)
    {
        var startedAt = time.GetTimestamp();
        var activity = RouterTelemetry.StartRoute(message.TraceParent);
        activity?.SetTag("chat.message.id", message.MessageId);
        activity?.SetTag("chat.target.kind", message.Target.Kind.ToString());

        var recipients = registry.Resolve(message.Target);
        if (recipients.Count == 0)
        {
            Finish(message, SendStatus.Offline, recipients: 0, deliveries: 0, startedAt, activity);
            return;
        }

        var payload = DataPlaneCodec.Encode(new Delivery(
            message.MessageId,
            message.Timestamp,
            message.UserId,
            message.ConnectionId,
            message.Target,
            message.Body,
            activity?.Id ?? message.TraceParent));
        var subscriber = redis.GetSubscriber();
        var publishes = new Task<long>[recipients.Count];
        for (var i = 0; i < publishes.Length; i++)
        {
            publishes[i] = subscriber.PublishAsync(channels.For(recipients[i].GatewayId), payload);
        }

        _ = CompleteAsync(message, recipients, publishes, startedAt, activity);
    }

    private async Task CompleteAsync(InboundMessage message, IReadOnlyList<GatewayRecipients> recipients, Task<long>[] publishes, long startedAt, Activity? activity)
    {
        var routedTo = 0;
        for (var i = 0; i < publishes.Length; i++)
        {
            try
            {
                // A gateway that has no subscriber is gone; the registry forgets it soon.
                if (await publishes[i] > 0)
                {
                    routedTo += recipients[i].Connections;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                Log.DeliveryPublishFailed(logger, message.MessageId, recipients[i].GatewayId, exception);
            }
        }

        Finish(message, routedTo > 0 ? SendStatus.Routed : SendStatus.Offline, routedTo, publishes.Length, startedAt, activity);
    }

    private void Finish(InboundMessage message, SendStatus status, int recipients, int deliveries, long startedAt, Activity? activity)
    {
        var outcome = DataPlaneCodec.Encode(new SendOutcome(message.MessageId, message.ConnectionId, status, recipients));
        try
        {
            redis.GetSubscriber().Publish(channels.For(message.GatewayId), outcome, CommandFlags.FireAndForget);
        }
        catch (RedisException exception)
        {
            // The sender's gateway times the message out and tells the client it is unavailable.
            Log.OutcomePublishFailed(logger, message.MessageId, exception);
        }

        metrics.Routed(status, deliveries, time.GetElapsedTime(startedAt));
        activity?.SetTag("chat.recipients", recipients);
        activity?.Dispose();
    }
}
