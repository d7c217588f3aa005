namespace ChatPlatform.Gateway.Protocol;

/// <summary><c>{"type":"join","id":..,"room":"lobby"}</c></summary>
internal sealed record JoinCommand(byte[]? RequestId, string Room) : ClientCommand(RequestId);
