namespace ChatPlatform.Client;

/// <summary>
/// A call failed: the gateway answered with an <c>error</c> frame, the server API with an error
/// (<see cref="Api.ChatApiClient"/>), or the client could not get an answer (see
/// <see cref="ChatErrorCodes"/> for every <see cref="Code"/>).
/// </summary>
public sealed class ChatException : Exception
{
    /// <summary>Creates an exception with an error code and a message.</summary>
    /// <param name="code">The error code, e.g. <c>offline</c> (see <see cref="ChatErrorCodes"/>).</param>
    /// <param name="message">What went wrong, as the gateway or the client put it.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public ChatException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    internal ChatException(string code, string message, int httpStatus, Exception? innerException)
        : this(code, message, innerException)
    {
        HttpStatus = httpStatus;
    }

    /// <summary>The error code: a gateway's <c>error</c> code, the server API's, or one of the client's own.</summary>
    public string Code { get; }

    /// <summary>
    /// The HTTP status of the answer that failed the call, if one came: the status with which a
    /// gateway refused the WebSocket upgrade, or the server API's error status (e.g. 404 with
    /// <c>offline</c>, 401 with <c>unauthorized</c>).
    /// </summary>
    public int? HttpStatus { get; }

    /// <summary>When the server API says to try again (its <c>Retry-After</c>, sent with <c>rate_limited</c>), if it says.</summary>
    public TimeSpan? RetryAfter { get; internal init; }
}
