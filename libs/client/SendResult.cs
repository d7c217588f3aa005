namespace ChatPlatform.Client;

/// <summary>A gateway's <c>ack</c> for a message: it was routed.</summary>
/// <param name="MessageId">The id the platform gave the message, also in the recipients' <c>message</c> frames.</param>
/// <param name="Recipients">The number of connections it was routed to.</param>
/// <param name="Stored">
/// Whether the message is also in its stream's history (a message to a user or a room, where
/// history is on). A direct message to a user with no live connection but a session still
/// inside its recovery window is stored with no recipients: the user gets it when they resume.
/// </param>
public sealed record SendResult(string MessageId, int Recipients, bool Stored = false);
