using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Gateway.Connections;

namespace ChatPlatform.Gateway.ControlPlane;

/// <summary>The gateway's side of the control plane: telling presence about its connections.</summary>
internal interface IPresenceClient
{
    /// <summary>
    /// Registers the connection and completes once presence confirms it: from then on every
    /// router resolves messages to it.
    /// </summary>
    /// <exception cref="PresenceUnavailableException">Presence did not confirm in time, or refused.</exception>
    Task RegisterAsync(ClientConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Reports the connection closed. Never blocks: reports are queued and published in order,
    /// retried while the bus is down, for as long as the gateway runs.
    /// </summary>
    void ReportClosed(ClientConnection connection);

    /// <summary>Close reports still waiting to be published, for example while RabbitMQ is down.</summary>
    int QueuedCloseReports { get; }

    /// <summary>Tells presence the gateway is alive; null when presence did not answer in time.</summary>
    Task<HeartbeatRecorded?> RecordHeartbeatAsync(int connections, CancellationToken cancellationToken);

    /// <summary>Makes the registry hold exactly what this gateway holds.</summary>
    /// <exception cref="PresenceUnavailableException">Presence did not answer in time.</exception>
    Task<GatewayConnectionsSynced> SyncAsync(long upToSequence, IReadOnlyList<GatewayConnection> connections, CancellationToken cancellationToken);

    /// <summary>Tells presence the gateway stopped, so its connections leave the registry at once.</summary>
    Task ReportStoppedAsync(CancellationToken cancellationToken);

    /// <summary>Makes the connection a member of the room; completes once routers route the room's messages to it.</summary>
    /// <param name="sequence">The sequence <see cref="LocalConnections.Join"/> gave the change.</param>
    /// <returns>False when presence no longer knows the connection.</returns>
    /// <exception cref="PresenceUnavailableException">Presence did not answer in time.</exception>
    Task<bool> JoinAsync(ClientConnection connection, string room, long sequence, CancellationToken cancellationToken);

    /// <summary>Ends the connection's membership of the room.</summary>
    /// <exception cref="PresenceUnavailableException">Presence did not answer in time.</exception>
    Task LeaveAsync(ClientConnection connection, string room, long sequence, CancellationToken cancellationToken);
}
