namespace ChatPlatform.Client.Events;

/// <summary>
/// Something that happened to a <see cref="ChatClient"/>: a message or membership event from the
/// gateway, or a change of the connection's state. Read them with <see cref="ChatClient.ReadEventsAsync"/>.
/// </summary>
public abstract record ChatEvent;
