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
    /// <summary>Opens a WebSocket to <paramref name="url"/> and reads the gateway's welcome; the socket is the caller's once this returns.</summary>
    /// <exception cref="ChatException">The gateway could not be reached, refused the upgrade, or sent no welcome in time.</exception>
    public static async Task<(ClientWebSocket Socket, ChatSession Session)> OpenAsync(Uri url, string? user, string? token, ChatClientOptions options, CancellationToken cancellationToken)
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
            await socket.ConnectAsync(GatewayAddress.For(url, user), timeout.Token);
            var session = await ReadWelcomeAsync(socket, url, timeout.Token);
            return (socket, session);
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

    private static async Task<ChatSession> ReadWelcomeAsync(ClientWebSocket socket, Uri url, CancellationToken cancellationToken)
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
                return new ChatSession(
                    welcome.GetProperty("connection").GetString()!,
                    welcome.GetProperty("user").GetString()!,
                    welcome.GetProperty("gateway").GetString()!,
                    url);
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ChatException(ChatErrorCodes.ProtocolError, $"{url} sent a malformed welcome", exception);
        }

        throw new ChatException(ChatErrorCodes.ProtocolError, $"{url} did not start with a welcome");
    }
}
