using System.Net.WebSockets;
using System.Text.Json;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// The start of a connection to a gateway: the upgrade, with the client's credentials, and the
/// <c>welcome</c> that must be the gateway's first frame. Every failure becomes a
/// <see cref="ChatException"/> that says what went wrong, and the socket is disposed.
/// </summary>
internal static class GatewayHandshake
{
    /// <summary>
    /// Opens a WebSocket to <paramref name="url"/>, resuming <paramref name="resume"/> if given, and
    /// reads the gateway's welcome; the socket is the caller's once this returns.
    /// </summary>
    /// <returns>The socket, what the welcome said, and its <c>session</c> to resume this connection with (<see langword="null"/> from a gateway that gives none).</returns>
    /// <exception cref="ChatException">The gateway could not be reached, refused the upgrade, or sent no welcome in time.</exception>
    public static async Task<(ClientWebSocket Socket, ChatSession Session, string? ResumeToken)> OpenAsync(
        Uri url, string? user, string? token, ResumePoint? resume, ChatClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = options.KeepAliveTimeout;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(GatewayAddress.For(url, user, resume), timeout.Token);
            var (session, resumeToken) = await ReadWelcomeAsync(socket, url, timeout.Token);
            return (socket, session, resumeToken);
        }
        catch (Exception exception) when (exception is not ChatException && !cancellationToken.IsCancellationRequested)
        {
            var failure = ConnectFailure(url, socket, exception, options.ConnectTimeout);
            socket.Dispose();
            throw failure;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static ChatException ConnectFailure(Uri url, ClientWebSocket socket, Exception exception, TimeSpan connectTimeout)
    {
        var status = (int)socket.HttpStatusCode;
        if (status is not (0 or 101))
        {
            var code = status is 401 or 403 ? ChatErrorCodes.Unauthorized : ChatErrorCodes.ConnectFailed;
            return new ChatException(code, $"{url} refused the connection with HTTP {status}", status, exception);
        }

        return exception is OperationCanceledException
            ? new ChatException(ChatErrorCodes.ConnectFailed, $"{url} did not welcome the connection within {connectTimeout.TotalSeconds:0.###} s", exception)
            : new ChatException(ChatErrorCodes.ConnectFailed, $"could not connect to {url}: {exception.Message}", exception);
    }

    private static async Task<(ChatSession Session, string? ResumeToken)> ReadWelcomeAsync(ClientWebSocket socket, Uri url, CancellationToken cancellationToken)
    {
        var (type, buffer, length) = await WebSocketMessages.ReceiveAsync(socket, new byte[1024], cancellationToken);
        if (type == WebSocketMessageType.Close)
        {
            throw new ChatException(ChatErrorCodes.ConnectFailed, $"{url} closed the connection before its welcome: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            var welcome = document.RootElement;
            if (welcome.GetProperty("type").GetString() == "welcome")
            {
                var session = new ChatSession(
                    welcome.GetProperty("connection").GetString()!,
                    welcome.GetProperty("user").GetString()!,
                    welcome.GetProperty("gateway").GetString()!,
                    url);

                // Kept out of ChatSession: it is a secret, and records print their members.
                var resumeToken = welcome.TryGetProperty("session", out var token) ? token.GetString() : null;
                return (session, string.IsNullOrEmpty(resumeToken) ? null : resumeToken);
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ChatException(ChatErrorCodes.ProtocolError, $"{url} sent a malformed welcome", exception);
        }

        throw new ChatException(ChatErrorCodes.ProtocolError, $"{url} did not start with a welcome");
    }
}
