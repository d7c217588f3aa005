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

    /// <summary>Prefix of the gateway channels, for scripts that publish to them.</summary>
    public const string GatewayChannelPrefix = Prefix + "gw:";

    /// <summary>A gateway's own channel: deliveries, outcomes, answers and membership events for its connections.</summary>
    public static string GatewayChannel(string gatewayId) => GatewayChannelPrefix + gatewayId;

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

    /// <summary>Hash: connection id to the sequence the gateway registered it with.</summary>
    public static string GatewayConnectionSequences(string gatewayId) => GatewayConnectionsPrefix + gatewayId + SequencesSuffix;

    /// <summary>Suffix of <see cref="GatewayConnectionSequences"/>, for scripts that build it.</summary>
    public const string SequencesSuffix = ":seq";

    /// <summary>Counter: sequence number of the last registry change.</summary>
    public const string RegistrySequence = Prefix + "registry:seq";

    /// <summary>
    /// Hash: connection id to user id, for the connections of a gateway instance that is gone
    /// and whose room memberships are still being removed.
    /// </summary>
    public static string RetiredConnections(string gatewayId, string gatewayInstance) => $"{RetiredConnectionsPrefix}{gatewayId}:{gatewayInstance}";

    /// <summary>Prefix of <see cref="RetiredConnections"/>, for scripts that build it.</summary>
    public const string RetiredConnectionsPrefix = Prefix + "registry:retired:";

    /// <summary>Set: <c>{gateway}\n{instance}</c> of each retired instance whose connections are still to clean up.</summary>
    public const string RetiredGateways = Prefix + "registry:retired";

    /// <summary>
    /// Hash: room to the gateway sequence of the connection's last join of it (positive, a
    /// member) or leave (negative, a marker that keeps an older report from rejoining it).
    /// </summary>
    public static string ConnectionRooms(string connectionId) => ConnectionRoomsPrefix + connectionId;

    /// <summary>Prefix of <see cref="ConnectionRooms"/>, for scripts that build it.</summary>
    public const string ConnectionRoomsPrefix = Prefix + "registry:rooms:";

    /// <summary>Set: every room that has members.</summary>
    public const string Rooms = Prefix + "rooms";

    /// <summary>Prefix of the per-room keys, for scripts that build them: <c>{prefix}{room}{suffix}</c>.</summary>
    public const string RoomPrefix = Prefix + "room:";

    public const string RoomMembersSuffix = ":members";
    public const string RoomUsersSuffix = ":users";
    public const string RoomGatewaysSuffix = ":gateways";

    /// <summary>Hash: member connection id to user id.</summary>
    public static string RoomMembers(string room) => RoomPrefix + room + RoomMembersSuffix;

    /// <summary>Hash: member user id to their number of member connections.</summary>
    public static string RoomUsers(string room) => RoomPrefix + room + RoomUsersSuffix;

    /// <summary>Hash: gateway id to the number of member connections it holds.</summary>
    public static string RoomGateways(string room) => RoomPrefix + room + RoomGatewaysSuffix;

    /// <summary>Marks a closed connection for a while, so a late registration cannot revive it.</summary>
    public static string ClosedConnection(string connectionId) => ClosedConnectionPrefix + connectionId;

    /// <summary>Prefix of <see cref="ClosedConnection"/>, for scripts that build it.</summary>
    public const string ClosedConnectionPrefix = Prefix + "registry:closed:";

    /// <summary>Prefix of <see cref="HistoryLog"/>, for scripts that build it.</summary>
    public const string HistoryLogPrefix = Prefix + "history:log:";

    /// <summary>Prefix of <see cref="HistoryMeta"/>, for scripts that build it.</summary>
    public const string HistoryMetaPrefix = Prefix + "history:meta:";

    /// <summary>
    /// Stream: the stored messages of a history stream (<see cref="DataPlane.HistoryStreams"/>),
    /// entry id <c>{offset}-0</c>, field <c>d</c> the encoded delivery.
    /// </summary>
    public static string HistoryLog(string stream) => HistoryLogPrefix + stream;

    /// <summary>Hash: a history stream's <c>epoch</c> and last <c>offset</c>.</summary>
    public static string HistoryMeta(string stream) => HistoryMetaPrefix + stream;

    /// <summary>Prefix of <see cref="Session"/>, for scripts that build it.</summary>
    public const string SessionPrefix = Prefix + "session:";

    /// <summary>
    /// Hash: the resumable state of a connection: <c>~user</c>, <c>~key</c> (hash of its secret),
    /// and per stream its starting position <c>{epoch} {offset}</c>; a room stream's field is
    /// there while the connection is a member.
    /// </summary>
    public static string Session(string connectionId) => SessionPrefix + connectionId;

    /// <summary>Prefix of <see cref="Resumable"/>, for scripts that build it.</summary>
    public const string ResumablePrefix = Prefix + "resumable:";

    /// <summary>String: set while a connection of the user ended within the recovery window, so direct messages to them are stored.</summary>
    public static string Resumable(string userId) => ResumablePrefix + userId;

    /// <summary>
    /// String: a server API publish under an <c>Idempotency-Key</c> (docs/api.md): a marker while
    /// it is in flight, then its answer, until the idempotency window ends. Per API key name,
    /// which cannot contain <c>:</c>.
    /// </summary>
    public static string Idempotency(string apiKeyName, string idempotencyKey) => $"{Prefix}idempotency:{apiKeyName}:{idempotencyKey}";

    /// <summary>String: the router id that holds the lease on an inbound shard.</summary>
    public static string ShardLease(int shard) => $"{Prefix}router:shard:{shard}";

    /// <summary>Sorted set: router id scored by the unix ms its membership expires.</summary>
    public const string Routers = Prefix + "router:members";

    /// <summary>String: the shard count the routers run with; every gateway and router must agree.</summary>
    public const string ShardCount = Prefix + "router:shard-count";
}
