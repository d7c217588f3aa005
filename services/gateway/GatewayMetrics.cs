using System.Diagnostics.Metrics;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway;

/// <summary>
/// The gateway's instruments. Like every file at the service root it uses no folder of the
/// gateway: the gauges read what the folders keep through the functions they are given.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "ChatPlatform.Gateway";

    private readonly Counter<long> _connectionsOpened;
    private readonly Counter<long> _connectionsClosed;
    private readonly Counter<long> _connectionsRejected;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _sends;
    private readonly Histogram<double> _sendDuration;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _deliveriesMissed;
    private readonly Counter<long> _lateOutcomes;
    private readonly Counter<long> _announcements;
    private readonly Counter<long> _syncs;
    private readonly Counter<long> _resumes;
    private readonly Counter<long> _recovered;

    /// <param name="openConnections">How many client connections are open now.</param>
    /// <param name="pendingSends">How many messages and presence questions wait for their router's answer now.</param>
    public GatewayMetrics(IMeterFactory meterFactory, Func<int> openConnections, Func<int> pendingSends)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("chat.gateway.connections", openConnections, description: "Open client connections.");
        meter.CreateObservableUpDownCounter("chat.gateway.sends.pending", pendingSends, description: "Messages waiting for their router's outcome.");
        _connectionsOpened = meter.CreateCounter<long>("chat.gateway.connections.opened", description: "Connections accepted.");
        _connectionsClosed = meter.CreateCounter<long>("chat.gateway.connections.closed", description: "Connections ended, by close code or 'aborted'.");
        _connectionsRejected = meter.CreateCounter<long>("chat.gateway.connections.rejected", description: "Upgrade requests refused, by reason.");
        _errors = meter.CreateCounter<long>("chat.gateway.errors", description: "Error frames and protocol closes sent to clients, by code.");
        _sends = meter.CreateCounter<long>("chat.gateway.sends", description: "Messages answered, by result: acked or an error code.");
        _sendDuration = meter.CreateHistogram<double>("chat.gateway.send.duration", unit: "ms", description: "From receiving a message to answering its sender.");
        _deliveries = meter.CreateCounter<long>("chat.gateway.deliveries", description: "Message frames queued to local sockets.");
        _deliveriesMissed = meter.CreateCounter<long>("chat.gateway.deliveries.missed", description: "Deliveries whose recipients had already closed.");
        _syncs = meter.CreateCounter<long>("chat.gateway.registry_syncs", description: "Reports of every connection sent to presence because the registry disagreed with the gateway.");
        _announcements = meter.CreateCounter<long>("chat.gateway.membership_events", description: "Joined and left events received for local room members, by kind.");
        _resumes = meter.CreateCounter<long>("chat.gateway.resumes", description: "Connections that asked to resume a session, by result: complete, incomplete or refused.");
        _recovered = meter.CreateCounter<long>("chat.gateway.messages.recovered", description: "Messages sent again to resuming connections.");
        _lateOutcomes = meter.CreateCounter<long>("chat.gateway.outcomes.late", description: "Router outcomes that arrived after the sender was told the message timed out.");
    }

    public void Connected() => _connectionsOpened.Add(1);

    public void Disconnected(string closeDescription) =>
        _connectionsClosed.Add(1, new KeyValuePair<string, object?>("code", closeDescription));

    public void Rejected(string reason) =>
        _connectionsRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ErrorSent(string code) =>
        _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void SendCompleted(string result, TimeSpan duration)
    {
        _sends.Add(1, new KeyValuePair<string, object?>("result", result));
        _sendDuration.Record(duration.TotalMilliseconds);
    }

    public void Delivered(int frames) => _deliveries.Add(frames);

    public void Resumed(string result, int messages)
    {
        _resumes.Add(1, new KeyValuePair<string, object?>("result", result));
        _recovered.Add(messages);
    }

    public void Announced(MembershipEventKind kind) =>
        _announcements.Add(1, new KeyValuePair<string, object?>("kind", kind == MembershipEventKind.Joined ? "joined" : "left"));

    public void DeliveryMissed() => _deliveriesMissed.Add(1);

    public void LateOutcome() => _lateOutcomes.Add(1);

    public void Synced() => _syncs.Add(1);
}
