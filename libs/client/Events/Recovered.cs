namespace ChatPlatform.Client.Events;

/// <summary>
/// A reconnect resumed the previous connection: the messages it missed have arrived (each a
/// <see cref="MessageReceived"/> with <see cref="MessageReceived.Recovered"/> set), and live ones
/// follow. When <see cref="Complete"/> is <see langword="false"/>, messages were missed for good:
/// the gateway's history no longer covered the whole gap, or it did not know the session (then
/// <see cref="Rooms"/> is empty and the client joins its rooms again itself). Reload what the
/// app shows, e.g. with <see cref="ChatClient.GetRoomHistoryAsync"/>, once <see cref="Reconnected"/>
/// has come: calls fail with <c>disconnected</c> until then.
/// </summary>
/// <param name="Rooms">The rooms the gateway put the new connection back in; the client does not join these again.</param>
/// <param name="Messages">How many messages the gateway sent again.</param>
/// <param name="Complete">Whether every missed message was sent again.</param>
public sealed record Recovered(IReadOnlyList<string> Rooms, int Messages, bool Complete) : ChatEvent;
