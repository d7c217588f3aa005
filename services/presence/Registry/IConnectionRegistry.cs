using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Gateways;

namespace ChatPlatform.Presence.Registry;

/// <summary>
/// The connection registry: which connections each gateway holds, and whose they are.
/// Every operation is atomic, and every change it makes is published on the registry change
/// channel by the same atomic step, numbered in order. Operations are idempotent, so
/// redelivered or concurrent messages on several presence replicas leave it consistent.
/// A gateway's entries live while its heartbeat lease does; a newer instance of a gateway
/// replaces all entries of the older one.
/// </summary>
internal interface IConnectionRegistry
{
    Task<RegistrationResult> RegisterAsync(RegisterConnection request, TimeSpan gatewayTtl);

    /// <summary>Removes the connection and marks it closed for <paramref name="closedTtl"/>.</summary>
    /// <returns>Whether it was registered.</returns>
    Task<bool> RemoveAsync(ConnectionClosed closed, TimeSpan closedTtl);

    /// <summary>Extends the gateway's lease.</summary>
    /// <returns>The number of connections registered for it, or null for a replaced instance.</returns>
    Task<long?> RecordHeartbeatAsync(GatewayHeartbeatSent heartbeat, TimeSpan gatewayTtl);

    /// <returns>Whether the instance was registered.</returns>
    Task<bool> RemoveGatewayAsync(string gatewayId, string gatewayInstance);

    /// <summary>Removes up to <paramref name="limit"/> gateways whose lease has expired.</summary>
    /// <returns>The ids of the gateways removed.</returns>
    Task<IReadOnlyList<string>> RemoveExpiredGatewaysAsync(int limit);
}
