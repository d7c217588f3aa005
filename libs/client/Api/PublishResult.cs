namespace ChatPlatform.Client.Api;

/// <summary>The server API's answer to a publish: the message was handed to its recipients.</summary>
/// <param name="MessageId">The id the platform gave the message, also in the recipients' <c>message</c> frames.</param>
/// <param name="Recipients">The number of connections it was handed to; 0 for an empty room, or a user who is away but can still resume.</param>
/// <param name="Stored">Whether the message is in history too (a user or a room with history on).</param>
/// <param name="Replayed">
/// Whether this is the answer to an earlier request with the same <c>Idempotency-Key</c>
/// (the <c>Idempotent-Replayed: true</c> header): the message was not delivered again.
/// </param>
public sealed record PublishResult(string MessageId, int Recipients, bool Stored, bool Replayed);
