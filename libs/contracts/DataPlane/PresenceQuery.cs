namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// Who is online: a user (<see cref="TargetKind.User"/>) or a room's members
/// (<see cref="TargetKind.Room"/>). Published like a message on the asker's inbound shard, so the
/// router answers from its registry copy, in order with the asker's messages.
/// </summary>
public sealed record PresenceQuery(
    string QueryId,
    string GatewayId,
    string ConnectionId,
    MessageTarget Target,
    string? TraceParent);
