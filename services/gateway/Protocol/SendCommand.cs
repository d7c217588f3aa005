using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Protocol;

/// <summary><c>{"type":"send","id":..,"to":{..},"body":..}</c></summary>
/// <param name="Body">The <c>body</c> value as raw UTF-8 JSON.</param>
internal sealed record SendCommand(byte[]? RequestId, MessageTarget Target, ReadOnlyMemory<byte> Body) : ClientCommand(RequestId);
