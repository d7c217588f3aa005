using System.Diagnostics.Metrics;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Router.Registry;
using ChatPlatform.Router.Sharding;

namespace ChatPlatform.Router;

internal sealed class RouterMetrics
{
    public const string MeterName = "ChatPlatform.Router";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _routeDuration;
    private readonly Counter<long> _answers;

    public RouterMetrics(IMeterFactory meterFactory, ShardOwnership ownership, RegistryCache registry)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("chat.router.messages", description: "Inbound messages handled, by outcome.");
        _deliveries = meter.CreateCounter<long>("chat.router.deliveries", description: "Deliveries published to gateway channels: one per gateway holding recipients.");
        _answers = meter.CreateCounter<long>("chat.router.presence_queries", description: "Presence questions answered, by target kind.");
        _routeDuration = meter.CreateHistogram<double>("chat.router.route.duration", unit: "ms", description: "From receiving a message to publishing its outcome.");
        meter.CreateObservableGauge("chat.router.shards.owned", () => ownership.OwnedCount, description: "Inbound shards this router owns.");
        meter.CreateObservableGauge("chat.router.registry.connections", () => registry.ConnectionCount, description: "Connections in the router's copy of the registry.");
        meter.CreateObservableGauge("chat.router.registry.rooms", () => registry.RoomCount, description: "Rooms with members in the router's copy of the registry.");
    }

    public void Routed(SendStatus status, int deliveries, TimeSpan duration)
    {
        _messages.Add(1, new KeyValuePair<string, object?>("outcome", status == SendStatus.Routed ? "routed" : "offline"));
        if (deliveries > 0)
        {
            _deliveries.Add(deliveries);
        }

        _routeDuration.Record(duration.TotalMilliseconds);
    }

    public void Answered(TargetKind kind) =>
        _answers.Add(1, new KeyValuePair<string, object?>("target", kind == TargetKind.Room ? "room" : "user"));

    /// <summary>A message on a shard this router no longer owns, or one it could not decode.</summary>
    public void Dropped(string reason) =>
        _messages.Add(1, new KeyValuePair<string, object?>("outcome", reason));
}
