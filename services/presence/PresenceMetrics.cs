using System.Diagnostics.Metrics;

namespace ChatPlatform.Presence;

/// <summary>Presence's instruments. Like every file at the service root it uses no folder of presence.</summary>
internal sealed class PresenceMetrics
{
    public const string MeterName = "ChatPlatform.Presence";

    private readonly Counter<long> _registrations;
    private readonly Counter<long> _removals;
    private readonly Counter<long> _gatewaysRemoved;
    private readonly Counter<long> _memberships;
    private readonly Counter<long> _purged;
    private readonly Counter<long> _synced;

    public PresenceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _registrations = meter.CreateCounter<long>("chat.presence.registrations", description: "Connection registrations, by result.");
        _removals = meter.CreateCounter<long>("chat.presence.removals", description: "Connections removed because they closed.");
        _gatewaysRemoved = meter.CreateCounter<long>("chat.presence.gateways_removed", description: "Gateways removed with all their connections, by reason.");
        _memberships = meter.CreateCounter<long>("chat.presence.memberships", description: "Room joins and leaves, by result.");
        _synced = meter.CreateCounter<long>("chat.presence.sync_repairs", description: "Connections added or removed when a gateway's report was reconciled with the registry, by change.");
        _purged = meter.CreateCounter<long>("chat.presence.retired_connections_purged", description: "Connections of removed gateways taken out of their rooms.");
    }

    /// <param name="result">The registry's answer, as it names it (Registered, StaleInstance, AlreadyClosed).</param>
    public void Registered(string result) =>
        _registrations.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Removed() => _removals.Add(1);

    public void MembershipChanged(string result) =>
        _memberships.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Purged(long connections) => _purged.Add(connections);

    public void Synced(int added, int removed)
    {
        _synced.Add(added, new KeyValuePair<string, object?>("change", "added"));
        _synced.Add(removed, new KeyValuePair<string, object?>("change", "removed"));
    }

    public void GatewayRemoved(string reason) =>
        _gatewaysRemoved.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
