using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// The gateways a client may connect to (<see cref="ChatClientOptions.Urls"/>, as they were when
/// it connected) and how it connects to one: as its development user, with its token, or with a
/// fresh token from its provider for every attempt; and, on a reconnect, resuming the last
/// connection that was welcomed from where the client is in each stream.
/// </summary>
internal sealed class Gateways(ChatClientOptions options, StreamPositions positions, Action<ChatEvent> publish)
{
    private readonly Uri[] _urls = [.. options.Urls];
    private string? _lastResumeToken;

    public int Count => _urls.Length;

    public Uri Url(int index) => _urls[index];

    /// <summary>
    /// Connects to gateway <paramref name="index"/> and waits for its welcome; the connection
    /// publishes its events once started. With <paramref name="resume"/>, the connection resumes
    /// the last one welcomed, if its gateway gave a session.
    /// </summary>
    /// <exception cref="ChatException">The attempt failed: <c>connect_failed</c> (also when the token provider failed), <c>unauthorized</c> or <c>protocol_error</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing else escapes.</exception>
    public async Task<GatewayConnection> OpenAsync(int index, bool resume, CancellationToken cancellationToken)
    {
        var token = options.Token;
        if (options.TokenProvider is { } provider)
        {
            try
            {
                token = await provider(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new ChatException(ChatErrorCodes.ConnectFailed, $"the token provider failed: {exception.Message}", exception);
            }
        }

        // The last connection welcomed, even one abandoned while rejoining: the gateway restored
        // its rooms, and the messages it got were handed on.
        var from = resume && Volatile.Read(ref _lastResumeToken) is { } session ? new ResumePoint(session, positions.Latest()) : null;
        var connection = await GatewayConnection.OpenAsync(_urls[index], options.User, token, from, options, publish, cancellationToken);
        Volatile.Write(ref _lastResumeToken, connection.ResumeToken);
        positions.StartConnection();
        return connection;
    }
}
