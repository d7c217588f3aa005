namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// A message on its way to the gateways that hold its recipients: the router publishes the same
/// delivery once on each such gateway's channel, and the gateway resolves <see cref="Target"/>
/// against its own sockets.
/// </summary>
/// <param name="Position">Where the message is stored, when it is (a user or room target with history on).</param>
/// <param name="FromSystem">The system sender of a message from the server API; then the user and connection are empty.</param>
public sealed record Delivery(
    string MessageId,
    long Timestamp,
    string FromUser,
    string FromConnection,
    MessageTarget Target,
    ReadOnlyMemory<byte> Body,
    string? TraceParent,
    HistoryPosition? Position = null,
    string? FromSystem = null);
