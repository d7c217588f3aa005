namespace ChatPlatform.Client.Events;

/// <summary>The client is connected again, with its rooms joined again; calls go out again.</summary>
/// <param name="Session">What the new connection's welcome said (a new connection id).</param>
/// <param name="Rooms">The rooms joined again.</param>
public sealed record Reconnected(ChatSession Session, IReadOnlyList<string> Rooms) : ChatEvent;
