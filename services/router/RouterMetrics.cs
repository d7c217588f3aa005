using System.Diagnostics.Metrics;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Router;

/// <summary>
/// The router's instruments. Like every file at the service root it uses no folder of the
/// router: the gauges read what the folders keep through the functions they are given.
/// </summary>
internal sealed class RouterMetrics
{
    public const string MeterName = "ChatPlatform.Router";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _routeDuration;
    private readonly Counter<long> _answers;

    /// <param name="ownedShards">How many inbound shards this router owns now.</param>
    /// <param name="registryConnections">How many connections its copy of the registry holds.</param>
    /// <param name="registryRooms">How many rooms with members its copy of the registry holds.</param>
    public RouterMetrics(IMeterFactory meterFactory, Func<int> ownedShards, Func<int> registryConnections, Func<int> registryRooms)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("chat.router.messages", description: "Inbound messages handled, by outcome.");
        _deliveries = meter.CreateCounter<long>("chat.router.deliveries", description: "Deliveries published to gateway channels: one per gateway holding recipients.");
        _answers = meter.CreateCounter<long>("chat.router.presence_queries", description: "Presence questions answered, by target kind.");
        _routeDuration = meter.CreateHistogram<double>("chat.router.route.duration", unit: "ms", description: "From receiving a message to publishing its outcome.");
        meter.CreateObservableGauge("chat.router.shards.owned", ownedShards, description: "Inbound shards this router owns.");
        meter.CreateObservableGauge("chat.router.registry.connections", registryConnections, description: "Connections in the router's copy of the registry.");
        meter.CreateObservableGauge("chat.router.registry.rooms", registryRooms, description: "Rooms with members in the router's copy of the registry.");
    }

    public void Routed(SendStatus status, int deliveries, TimeSpan duration)
    {
        _messages.Add(1, new KeyValuePair<string, object?>("outcome", status switch
        {
            SendStatus.Routed => "routed",
            SendStatus.Offline => "offline",
            _ => "unavailable",
        }));
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
