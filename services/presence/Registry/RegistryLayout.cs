using ChatPlatform.Contracts;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Registry;

/// <summary>
/// The keys and names every registry script starts with, from <see cref="RedisNames"/>, so the
/// scripts build no name of their own.
/// </summary>
internal static class RegistryLayout
{
    /// <summary>1-based index of a script's first own key.</summary>
    public const int FirstKey = 6;

    /// <summary>1-based index of a script's first own argument.</summary>
    public const int FirstArgument = 15;

    private static readonly RedisKey[] Keys =
    [
        RedisNames.GatewayInstances,
        RedisNames.GatewayLeases,
        RedisNames.RegistrySequence,
        RedisNames.Rooms,
        RedisNames.RetiredGateways,
    ];

    private static readonly RedisValue[] Arguments =
    [
        RedisNames.RegistryChanges,
        RedisNames.GatewayChannelPrefix,
        RedisNames.GatewayConnectionsPrefix,
        RedisNames.RetiredConnectionsPrefix,
        RedisNames.RoomPrefix,
        RedisNames.RoomMembersSuffix,
        RedisNames.RoomUsersSuffix,
        RedisNames.RoomGatewaysSuffix,
        RedisNames.ConnectionRoomsPrefix,
        RedisNames.SequencesSuffix,
        RedisNames.ClosedConnectionPrefix,
        RedisNames.SessionPrefix,
        RedisNames.ResumablePrefix,
    ];

    public static RedisKey[] WithKeys(params RedisKey[] own) => [.. Keys, .. own];

    /// <param name="recoveryWindowMs">How long an ended connection's session stays resumable (<see cref="RecoveryOptions.Window"/>).</param>
    public static RedisValue[] WithArguments(long recoveryWindowMs, params RedisValue[] own) => [.. Arguments, recoveryWindowMs, .. own];
}
