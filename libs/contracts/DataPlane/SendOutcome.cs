namespace ChatPlatform.Contracts.DataPlane;

/// <summary>The router's answer for one message, published on the sender's gateway channel.</summary>
/// <param name="Recipients">Connections the message was routed to.</param>
/// <param name="Stored">The message is in its stream's history too.</param>
public sealed record SendOutcome(
    string MessageId,
    string ConnectionId,
    SendStatus Status,
    int Recipients,
    bool Stored = false);
