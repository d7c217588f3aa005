namespace ChatPlatform.Gateway.Protocol;

/// <summary><c>{"type":"leave","id":..,"room":"lobby"}</c></summary>
internal sealed record LeaveCommand(byte[]? RequestId, string Room) : ClientCommand(RequestId);
