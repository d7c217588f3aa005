using ChatPlatform.Client.Events;

namespace ChatPlatform.Client;

/// <summary>Stored messages of a stream: a room's, or the caller's own direct messages.</summary>
/// <param name="Stream">The stream read: <c>room:NAME</c> or <c>user:ID</c>.</param>
/// <param name="Epoch">
/// The stream's current life: it changes when the stream was lost (the store restarted empty,
/// or the stream expired), and offsets of different epochs are not comparable. Empty for a stream
/// that never had a message.
/// </param>
/// <param name="Messages">
/// The newest messages asked for, oldest first; empty when there are none (or the room's history
/// is off). To page backwards, pass the first one's <see cref="MessageReceived.Offset"/> as the next <c>before</c>.
/// </param>
public sealed record ChatHistory(string Stream, string Epoch, IReadOnlyList<MessageReceived> Messages);
