using System.Diagnostics;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Router.History;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Sharding;
using StackExchange.Redis;

namespace ChatPlatform.Router.Routing;

/// <summary>
/// Routes inbound messages: resolves the target from the registry cache, publishes one delivery
/// to each gateway that holds a target connection, then tells the sender's gateway the outcome.
/// Called by each shard's subscription in Redis order, one message at a time per shard (shards run
/// side by side); the publishes for a message are issued before the call returns, so deliveries
/// leave in the order messages arrived. Publishing goes through <see cref="IDeliveryPublisher"/>.
/// A message the <see cref="HistoryPolicy"/> stores is appended to its stream in the same atomic
/// step as its publishes.
/// </summary>
internal sealed class MessageRouter(
    RegistryCache registry,
    HistoryPolicy history,
    ShardOwnership ownership,
    IDeliveryPublisher publisher,
    RouterMetrics metrics,
    TimeProvider time,
    ILogger<MessageRouter> logger)
{
    /// <param name="payload">An encoded <see cref="InboundMessage"/>, <see cref="PresenceQuery"/> or <see cref="ModerationCommand"/>.</param>
    public void OnInbound(int shard, ReadOnlyMemory<byte> payload)
    {
        if (!ownership.IsOwned(shard))
        {
            metrics.Dropped("not_owner");
            Log.DroppedNotOwner(logger, shard);
            return;
        }

        try
        {
            switch (DataPlaneCodec.PeekKind(payload.Span))
            {
                case PayloadKind.Inbound:
                    Route(DataPlaneCodec.DecodeInbound(payload));
                    break;
                case PayloadKind.PresenceQuery:
                    AnswerQuery(DataPlaneCodec.DecodePresenceQuery(payload));
                    break;
                case PayloadKind.Moderation:
                    Moderate(DataPlaneCodec.DecodeModeration(payload), payload);
                    break;
                default:
                    throw new FormatException($"Unexpected payload kind {payload.Span[0]} on an inbound shard.");
            }
        }
        catch (FormatException exception)
        {
            metrics.Dropped("malformed");
            Log.MalformedInbound(logger, shard, exception);
        }
        catch (Exception exception)
        {
            // Never let one message take the subscription's dispatch down; the sender's gateway
            // answers the client when no outcome arrives.
            Log.RouteFailed(logger, shard, exception);
        }
    }

    private void AnswerQuery(PresenceQuery query)
    {
        using var activity = RouterTelemetry.StartAnswer(query.TraceParent);
        var answer = registry.Answer(query);
        Answer(query.GatewayId, DataPlaneCodec.Encode(answer), query.QueryId);
        metrics.Answered(query.Target.Kind);
    }

    /// <summary>
    /// Sends a backend's moderation to each gateway holding a connection of its target, the same
    /// bytes to each, and answers like a message: the connections it reached, or offline.
    /// </summary>
    private void Moderate(ModerationCommand command, ReadOnlyMemory<byte> payload)
    {
        var startedAt = time.GetTimestamp();
        var activity = RouterTelemetry.StartRoute(command.TraceParent);
        activity?.SetTag("chat.moderation.action", command.Action.ToString());
        var request = new RouteRequest(command.CommandId, command.GatewayId, command.ConnectionId, command.Target);
        var recipients = registry.Resolve(command.Target, command.ConnectionId);
        if (recipients.Count == 0)
        {
            Finish(request, SendStatus.Offline, recipients: 0, deliveries: 0, startedAt, activity);
            return;
        }

        var bytes = payload.ToArray();
        var publishes = new Task<long>[recipients.Count];
        for (var i = 0; i < publishes.Length; i++)
        {
            publishes[i] = publisher.PublishAsync(recipients[i].GatewayId, bytes);
        }

        _ = CompleteAsync(request, recipients, publishes, startedAt, activity);
    }

    private void Route(InboundMessage message)
    {
        // The route activity ends later, on another thread: it must not stay current here, where
        // the next message's activity (with no trace parent of its own) would take it as parent.
        var current = Activity.Current;
        try
        {
            RouteWithin(message);
        }
        finally
        {
            Activity.Current = current;
        }
    }

    private void RouteWithin(InboundMessage message)
    {
        var startedAt = time.GetTimestamp();
        var activity = RouterTelemetry.StartRoute(message.TraceParent);
        activity?.SetTag("chat.message.id", message.MessageId);
        activity?.SetTag("chat.target.kind", message.Target.Kind.ToString());

        var recipients = registry.Resolve(message.Target, message.ConnectionId);
        if (history.StreamOf(message.Target) is { } stream)
        {
            RouteStored(message, stream, recipients, startedAt, activity);
            return;
        }

        if (recipients.Count == 0)
        {
            Finish(RouteRequest.Of(message), NoneStatus(message.Target), recipients: 0, deliveries: 0, startedAt, activity);
            return;
        }

        var payload = DataPlaneCodec.Encode(DeliveryOf(message, activity));
        var publishes = new Task<long>[recipients.Count];
        for (var i = 0; i < publishes.Length; i++)
        {
            publishes[i] = publisher.PublishAsync(recipients[i].GatewayId, payload);
        }

        _ = CompleteAsync(RouteRequest.Of(message), recipients, publishes, startedAt, activity);
    }

    private void RouteStored(InboundMessage message, string stream, IReadOnlyList<GatewayRecipients> recipients, long startedAt, Activity? activity)
    {
        // A user no gateway holds gets it stored only while they can still resume; a room's
        // message is stored even with nobody else in it.
        var resumableUser = recipients.Count == 0 && message.Target.Kind == TargetKind.User ? message.Target.Value : null;
        var gatewayIds = new string[recipients.Count];
        for (var i = 0; i < gatewayIds.Length; i++)
        {
            gatewayIds[i] = recipients[i].GatewayId;
        }

        var prefix = DataPlaneCodec.EncodeStoredPrefix(DeliveryOf(message, activity), stream);
        _ = CompleteStoredAsync(RouteRequest.Of(message), recipients, publisher.PublishStoredAsync(stream, resumableUser, gatewayIds, prefix), startedAt, activity);
    }

    private async Task CompleteStoredAsync(RouteRequest message, IReadOnlyList<GatewayRecipients> recipients, Task<StoredPublish?> publishing, long startedAt, Activity? activity)
    {
        StoredPublish? stored;
        try
        {
            stored = await publishing;
        }
        catch (RedisServerException exception)
        {
            // Redis refused the script before it wrote or published anything.
            Log.HistoryWriteFailed(logger, message.Id, exception);
            activity?.SetStatus(ActivityStatusCode.Error, "history write refused");
            Finish(message, SendStatus.Unavailable, recipients: 0, deliveries: 0, startedAt, activity);
            return;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // It may have run: with no outcome, the sender's gateway answers that the message may not have arrived.
            Log.HistoryWriteUnknown(logger, message.Id, exception);
            activity?.SetStatus(ActivityStatusCode.Error, "history write failed");
            activity?.Dispose();
            return;
        }

        if (stored is null)
        {
            Finish(message, SendStatus.Offline, recipients: 0, deliveries: 0, startedAt, activity);
            return;
        }

        var routedTo = 0;
        for (var i = 0; i < stored.Receivers.Length; i++)
        {
            // A gateway that has no subscriber is gone; the registry forgets it soon.
            if (stored.Receivers[i] > 0)
            {
                routedTo += recipients[i].Connections;
            }
        }

        activity?.SetTag("chat.stream.offset", stored.Offset);
        Finish(message, SendStatus.Routed, routedTo, recipients.Count, startedAt, activity, stored: true);
    }

    private async Task CompleteAsync(RouteRequest message, IReadOnlyList<GatewayRecipients> recipients, Task<long>[] publishes, long startedAt, Activity? activity)
    {
        var routedTo = 0;
        var failed = false;
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
                Log.DeliveryPublishFailed(logger, message.Id, recipients[i].GatewayId, exception);
                failed = true;
            }
        }

        if (failed && routedTo == 0)
        {
            // A publish that timed out may still have been delivered: "offline" could be false.
            // With no outcome, the sender's gateway answers that the message may not have arrived.
            activity?.SetStatus(ActivityStatusCode.Error, "delivery publish failed");
            activity?.Dispose();
            return;
        }

        Finish(message, routedTo > 0 ? SendStatus.Routed : NoneStatus(message.Target), routedTo, publishes.Length, startedAt, activity);
    }

    /// <summary>What gateways get of a message: its sender from the inbound message, its trace parent the route's span.</summary>
    private static Delivery DeliveryOf(InboundMessage message, Activity? activity) => new(
        message.MessageId,
        message.Timestamp,
        message.UserId,
        message.ConnectionId,
        message.Target,
        message.Body,
        activity?.Id ?? message.TraceParent,
        FromSystem: message.FromSystem);

    /// <summary>A user or a connection no one holds is offline; a room or everyone may simply have no one else in it.</summary>
    private static SendStatus NoneStatus(MessageTarget target) =>
        target.Kind is TargetKind.User or TargetKind.Connection ? SendStatus.Offline : SendStatus.Routed;

    private void Finish(RouteRequest message, SendStatus status, int recipients, int deliveries, long startedAt, Activity? activity, bool stored = false)
    {
        Answer(message.GatewayId, DataPlaneCodec.Encode(new SendOutcome(message.Id, message.ConnectionId, status, recipients, stored)), message.Id);

        metrics.Routed(status, deliveries, time.GetElapsedTime(startedAt));
        activity?.SetTag("chat.recipients", recipients);
        activity?.Dispose();
    }

    /// <summary>Answers the asker's gateway without waiting.</summary>
    private void Answer(string gatewayId, byte[] payload, string requestId)
    {
        try
        {
            publisher.Answer(gatewayId, payload);
        }
        catch (RedisException exception)
        {
            // The asker's gateway times the request out and tells the client it is unavailable.
            Log.OutcomePublishFailed(logger, requestId, exception);
        }
    }
}
