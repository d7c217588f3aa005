namespace ChatPlatform.Client.Events;

/// <summary>The first event: the client connected and was welcomed.</summary>
/// <param name="Session">What the welcome said.</param>
public sealed record Connected(ChatSession Session) : ChatEvent;
