namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// A message a client sent, as its gateway publishes it on an inbound shard channel for a router.
/// The sender fields are set by the gateway from the connection, never from the client's frame.
/// </summary>
/// <param name="MessageId">Assigned by the gateway; unique; echoed in the ack and the delivery.</param>
/// <param name="Timestamp">Unix milliseconds when the gateway received the frame.</param>
/// <param name="Body">The client's <c>body</c> value as raw UTF-8 JSON, already validated.</param>
/// <param name="TraceParent">W3C trace context of the gateway's span, when tracing is on.</param>
/// <param name="FromSystem">
/// The system sender a backend named through the server API (docs/api.md); then the connection
/// is the API key's and the user empty, and recipients see <c>{"system":..}</c>, never a user.
/// </param>
public sealed record InboundMessage(
    string MessageId,
    long Timestamp,
    string GatewayId,
    string ConnectionId,
    string UserId,
    MessageTarget Target,
    ReadOnlyMemory<byte> Body,
    string? TraceParent,
    string? FromSystem = null);
