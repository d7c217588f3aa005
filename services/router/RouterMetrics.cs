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

    public RouterMetrics(IMeterFactory meterFactory, ShardOwnership ownership, RegistryCache registry)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("chat.router.messages", description: "Inbound messages handled, by outcome.");
        _deliveries = meter.CreateCounter<long>("chat.router.deliveries", description: "Deliveries published to gateway channels: one per gateway holding recipients.");
        _routeDuration = meter.CreateHistogram<double>("chat.router.route.duration", unit: "ms", description: "From receiving a message to publishing its outcome.");
        meter.CreateObservableGauge("chat.router.shards.owned", () => ownership.OwnedCount, description: "Inbound shards this router owns.");
        meter.CreateObservableGauge("chat.router.registry.connections", () => registry.ConnectionCount, description: "Connections in the router's copy of the registry.");
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

    /// <summary>A message on a shard this router no longer owns, or one it could not decode.</summary>
    public void Dropped(string reason) =>
        _messages.Add(1, new KeyValuePair<string, object?>("outcome", reason));
}
