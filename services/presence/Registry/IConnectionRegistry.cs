using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Contracts.Rooms;

namespace ChatPlatform.Presence.Registry;

/// <summary>
/// The connection registry: which connections each gateway holds, whose they are, and which
/// rooms they are in. Every operation is atomic and publishes the changes it makes on the
/// registry change channel in the same step, numbered in order; joins and leaves that change a
/// room's users also announce it to the gateways holding its members. Operations are
/// idempotent, so redelivered or concurrent messages on several presence replicas leave it
/// consistent. A gateway's entries live while its heartbeat lease does; a newer instance of a
/// gateway replaces all entries of the older one.
/// </summary>
internal interface IConnectionRegistry
{
    Task<RegistrationResult> RegisterAsync(RegisterConnection request, TimeSpan gatewayTtl);

    /// <summary>Removes the connection and its memberships, and marks it closed for <paramref name="closedTtl"/>.</summary>
    /// <returns>Whether it was registered.</returns>
    Task<bool> RemoveAsync(ConnectionClosed closed, TimeSpan closedTtl);

    /// <summary>Extends the gateway's lease.</summary>
    /// <returns>The number of connections registered for it, or null for a replaced instance.</returns>
    Task<long?> RecordHeartbeatAsync(RecordHeartbeat heartbeat, TimeSpan gatewayTtl);

    /// <summary>
    /// Makes the registry hold exactly the reported connections and memberships for the
    /// gateway, leaving alone connections registered after the report was taken. Restored
    /// memberships are not announced; memberships and connections the gateway no longer has
    /// are removed as a leave or a close would have removed them.
    /// </summary>
    Task<GatewayConnectionsSynced> SyncAsync(SyncGatewayConnections report, TimeSpan gatewayTtl, TimeSpan closedTtl);

    /// <returns>Whether the instance was registered.</returns>
    Task<bool> RemoveGatewayAsync(string gatewayId, string gatewayInstance);

    /// <summary>Removes up to <paramref name="limit"/> gateways whose lease has expired.</summary>
    /// <returns>The ids of the gateways removed.</returns>
    Task<IReadOnlyList<string>> RemoveExpiredGatewaysAsync(int limit);

    /// <returns>False when the connection is not registered (it closed, or its gateway is gone).</returns>
    Task<bool> JoinAsync(JoinRoom request);

    Task LeaveAsync(LeaveRoom request);

    /// <summary>
    /// Removes gateways' connections from their rooms after the gateways were removed, up to
    /// <paramref name="batchSize"/> connections per atomic step, announcing who left.
    /// </summary>
    /// <returns>The number of connections cleaned up.</returns>
    Task<long> PurgeRetiredAsync(int batchSize);
}
