namespace ChatPlatform.Client.Events;

/// <summary>The client is connected again, back in its rooms; calls go out again.</summary>
/// <param name="Session">What the new connection's welcome said (a new connection id).</param>
/// <param name="Rooms">The rooms the new connection is in: restored by the gateway when it resumed the last connection, or joined again.</param>
public sealed record Reconnected(ChatSession Session, IReadOnlyList<string> Rooms) : ChatEvent;
