using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>A message waiting for its router's outcome, and what is needed to answer the sender.</summary>
/// <param name="ReceivedAt">A <see cref="TimeProvider"/> timestamp, for the send latency metric.</param>
internal sealed record PendingSend(ClientConnection Connection, byte[]? RequestId, MessageTarget Target, long ReceivedAt);
