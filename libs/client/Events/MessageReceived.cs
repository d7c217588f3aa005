using System.Text.Json;

namespace ChatPlatform.Client.Events;

/// <summary>A message for this connection.</summary>
/// <param name="MessageId">The id the platform gave the message (the sender's <see cref="SendResult.MessageId"/>).</param>
/// <param name="FromUser">The sending user, as the sender's gateway knows it.</param>
/// <param name="FromConnection">The sending connection.</param>
/// <param name="To">The target as the sender named it: this user, this connection, a room or everyone.</param>
/// <param name="Body">The body, exactly as sent.</param>
/// <param name="Timestamp">When the sender's gateway received the message.</param>
public sealed record MessageReceived(string MessageId, string FromUser, string FromConnection, ChatTarget To, JsonElement Body, DateTimeOffset Timestamp) : ChatEvent
{
    /// <summary>The body deserialized as <typeparamref name="T"/>, with <paramref name="options"/> or <see cref="JsonSerializerOptions.Web"/>.</summary>
    public T? BodyAs<T>(JsonSerializerOptions? options = null) => Body.Deserialize<T>(options ?? JsonSerializerOptions.Web);
}
