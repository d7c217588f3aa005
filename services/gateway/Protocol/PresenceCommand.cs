using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Protocol;

/// <summary><c>{"type":"presence","id":..,"room":"lobby"}</c> or <c>{"type":"presence","id":..,"user":"bob"}</c></summary>
/// <param name="Target">A <see cref="TargetKind.Room"/> or a <see cref="TargetKind.User"/>.</param>
internal sealed record PresenceCommand(byte[]? RequestId, MessageTarget Target) : ClientCommand(RequestId);
