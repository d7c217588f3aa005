namespace ChatPlatform.Client.Events;

/// <summary>After a reconnect, the gateway refused to join a room again; the client no longer counts it as joined.</summary>
/// <param name="Room">The room.</param>
/// <param name="Code">The gateway's error code (see <see cref="ChatErrorCodes"/>).</param>
/// <param name="Message">The gateway's error message.</param>
public sealed record RejoinFailed(string Room, string Code, string Message) : ChatEvent;
