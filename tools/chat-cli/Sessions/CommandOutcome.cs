using ChatPlatform.Client;

namespace ChatPlatform.Cli.Sessions;

/// <summary>
/// How a command ended: with the gateway's answer (a <see cref="SendResult"/>, a
/// <see cref="RoomPresence"/>, a <see cref="UserPresence"/>, a <see cref="ChatHistory"/>, or the
/// room joined or left), or an error.
/// </summary>
internal sealed record CommandOutcome(ChatCommand Command, object? Answer, ChatException? Error);
