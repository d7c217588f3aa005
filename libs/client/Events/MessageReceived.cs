using System.Text.Json;

namespace ChatPlatform.Client.Events;

/// <summary>A message for this connection, live or recovered after a reconnect; also the entries of a <see cref="ChatHistory"/>.</summary>
/// <param name="MessageId">The id the platform gave the message (the sender's <see cref="SendResult.MessageId"/>).</param>
/// <param name="FromUser">The sending user, as the sender's gateway knows it; <see langword="null"/> for a message from a backend (<paramref name="FromSystem"/>).</param>
/// <param name="FromConnection">The sending connection; <see langword="null"/> for a message from a backend.</param>
/// <param name="To">The target as the sender named it: this user, this connection, a room or everyone.</param>
/// <param name="Body">The body, exactly as sent.</param>
/// <param name="Timestamp">When the sender's gateway received the message.</param>
/// <param name="Stream">
/// The stream the message is stored in: <c>user:ID</c> for a direct message to a user,
/// <c>room:NAME</c> for a room message; <see langword="null"/> for a message that is not stored
/// (to one connection, to everyone, or to a room whose history is off).
/// </param>
/// <param name="Offset">Its place in <paramref name="Stream"/>: counting up from 1, without gaps; <see langword="null"/> when not stored.</param>
/// <param name="Recovered">
/// Whether the message was missed while the client was reconnecting and sent again when it
/// resumed; recovered messages come before the <see cref="Events.Recovered"/> event that ends the resume.
/// </param>
/// <param name="FromSystem">
/// The system sender of a message a backend published through the server API
/// (<c>"from":{"system":"billing"}</c>, see <see cref="Api.ChatApiClient.PublishAsync{TBody}"/>);
/// <see langword="null"/> for a message from a user. A backend cannot pose as a user: such a
/// message has no <paramref name="FromUser"/>.
/// </param>
public sealed record MessageReceived(
    string MessageId,
    string? FromUser,
    string? FromConnection,
    ChatTarget To,
    JsonElement Body,
    DateTimeOffset Timestamp,
    string? Stream = null,
    long? Offset = null,
    bool Recovered = false,
    string? FromSystem = null) : ChatEvent
{
    /// <summary>Whether a backend sent the message (<see cref="FromSystem"/>) rather than a user.</summary>
    public bool IsFromSystem => FromSystem is not null;


    /// <summary>The body deserialized as <typeparamref name="T"/>, with <paramref name="options"/> or <see cref="JsonSerializerOptions.Web"/>.</summary>
    public T? BodyAs<T>(JsonSerializerOptions? options = null) => Body.Deserialize<T>(options ?? JsonSerializerOptions.Web);
}
