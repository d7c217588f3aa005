using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>A message or presence question waiting for its router's answer, and what is needed to answer the client.</summary>
/// <param name="ReceivedAt">A <see cref="TimeProvider"/> timestamp, for the send latency metric.</param>
internal sealed record PendingRequest(ClientConnection Connection, byte[]? RequestId, MessageTarget Target, long ReceivedAt);
