namespace ChatPlatform.Contracts.Gateways;

/// <summary>
/// Request from a gateway whose registry entries disagree with what it holds (Redis lost its
/// data, or the gateway was removed while alive): make the registry hold exactly these
/// connections and memberships for the gateway. Connections registered with a sequence above
/// <paramref name="UpToSequence"/> started after the report was taken and are left alone.
/// Answered with <see cref="GatewayConnectionsSynced"/>.
/// </summary>
public sealed record SyncGatewayConnections(
    string GatewayId,
    string GatewayInstance,
    long UpToSequence,
    IReadOnlyList<GatewayConnection> Connections);
