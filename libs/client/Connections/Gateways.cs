using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// The gateways a client may connect to (<see cref="ChatClientOptions.Urls"/>, as they were when
/// it connected) and how it connects to one: as its development user, with its token, or with a
/// fresh token from its provider for every attempt.
/// </summary>
internal sealed class Gateways(ChatClientOptions options, Action<ChatEvent> publish)
{
    private readonly Uri[] _urls = [.. options.Urls];

    public int Count => _urls.Length;

    public Uri Url(int index) => _urls[index];

    /// <summary>
    /// Connects to gateway <paramref name="index"/> and waits for its welcome; the connection
    /// publishes its events once started.
    /// </summary>
    /// <exception cref="ChatException">The attempt failed: <c>connect_failed</c> (also when the token provider failed), <c>unauthorized</c> or <c>protocol_error</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing else escapes.</exception>
    public async Task<GatewayConnection> OpenAsync(int index, CancellationToken cancellationToken)
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

        return await GatewayConnection.OpenAsync(_urls[index], options.User, token, options, publish, cancellationToken);
    }
}
