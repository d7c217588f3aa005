namespace ChatPlatform.Contracts;

/// <summary>
/// Every Redis channel and key the platform uses. They are part of the wire contract between
/// services of different versions: rename one only with a migration.
/// </summary>
public static class RedisNames
{
    private const string Prefix = "chat:";

    /// <summary>Channel a gateway publishes inbound messages on; one router owns each shard.</summary>
    public static string InboundChannel(int shard) => $"{Prefix}in:{shard}";

    /// <summary>A gateway's own channel: deliveries and send outcomes for its connections.</summary>
    public static string GatewayChannel(string gatewayId) => $"{Prefix}gw:{gatewayId}";

    /// <summary>Channel presence publishes every registry change on.</summary>
    public const string RegistryChanges = Prefix + "registry:changes";

    /// <summary>Hash: gateway id to the instance currently registered for it.</summary>
    public const string GatewayInstances = Prefix + "registry:gateways";

    /// <summary>Sorted set: gateway id scored by the unix ms its heartbeat lease expires.</summary>
    public const string GatewayLeases = Prefix + "registry:leases";

    /// <summary>Prefix of the per-gateway connection hashes, for scripts that build them.</summary>
    public const string GatewayConnectionsPrefix = Prefix + "registry:gw:";

    /// <summary>Hash: connection id to user id, for the connections of one gateway.</summary>
    public static string GatewayConnections(string gatewayId) => GatewayConnectionsPrefix + gatewayId;

    /// <summary>Counter: sequence number of the last registry change.</summary>
    public const string RegistrySequence = Prefix + "registry:seq";

    /// <summary>Marks a closed connection for a while, so a late registration cannot revive it.</summary>
    public static string ClosedConnection(string connectionId) => $"{Prefix}registry:closed:{connectionId}";

    /// <summary>String: the router id that holds the lease on an inbound shard.</summary>
    public static string ShardLease(int shard) => $"{Prefix}router:shard:{shard}";

    /// <summary>Sorted set: router id scored by the unix ms its membership expires.</summary>
    public const string Routers = Prefix + "router:members";

    /// <summary>String: the shard count the routers run with; every gateway and router must agree.</summary>
    public const string ShardCount = Prefix + "router:shard-count";
}
