namespace ChatPlatform.Gateway.Api.Models;

/// <param name="Message">The message id recipients see.</param>
/// <param name="Recipients">Connections the message was handed to.</param>
/// <param name="Stored">The message is in its stream's history.</param>
internal sealed record PublishResponse(string Message, int Recipients, bool Stored);
