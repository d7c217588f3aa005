using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// A message, presence question or moderation waiting for its router's answer, and whom to
/// answer: a client connection (with a frame) or a server API call (through <see cref="Caller"/>).
/// </summary>
/// <param name="SenderId">The connection id the request travels under, which picks its inbound shard: the connection's, or the API key's.</param>
/// <param name="ReceivedAt">A <see cref="TimeProvider"/> timestamp, for the send latency metric.</param>
internal sealed record PendingRequest(
    string SenderId,
    ClientConnection? Connection,
    TaskCompletionSource<RouterReply>? Caller,
    byte[]? RequestId,
    MessageTarget Target,
    long ReceivedAt);
