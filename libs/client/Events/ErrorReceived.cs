namespace ChatPlatform.Client.Events;

/// <summary>An <c>error</c> frame that answers none of this client's calls (the gateway could not tell which frame it answers).</summary>
/// <param name="Code">The error code (see <see cref="ChatErrorCodes"/>).</param>
/// <param name="Message">The error message.</param>
public sealed record ErrorReceived(string Code, string Message) : ChatEvent;
