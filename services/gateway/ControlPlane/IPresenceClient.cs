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

    /// <summary>Makes the connection a member of the room; completes once routers route the room's messages to it.</summary>
    /// <returns>False when presence no longer knows the connection.</returns>
    /// <exception cref="PresenceUnavailableException">Presence did not answer in time.</exception>
    Task<bool> JoinAsync(ClientConnection connection, string room, CancellationToken cancellationToken);

    /// <summary>Ends the connection's membership of the room.</summary>
    /// <exception cref="PresenceUnavailableException">Presence did not answer in time.</exception>
    Task LeaveAsync(ClientConnection connection, string room, CancellationToken cancellationToken);
}
