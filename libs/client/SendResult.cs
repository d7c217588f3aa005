namespace ChatPlatform.Client;

/// <summary>A gateway's <c>ack</c> for a message: it was routed.</summary>
/// <param name="MessageId">The id the platform gave the message, also in the recipients' <c>message</c> frames.</param>
/// <param name="Recipients">The number of connections the message was routed to.</param>
public sealed record SendResult(string MessageId, int Recipients);
