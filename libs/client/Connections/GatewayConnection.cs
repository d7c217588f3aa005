using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Protocol;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// One WebSocket connection to a gateway, from its welcome to its end. A send loop writes frames
/// one at a time, in the order calls were made; a receive loop matches each answer to its call
/// by request id and hands every other frame on as an event. When the connection ends, every
/// call still waiting fails with <c>disconnected</c> at once.
/// </summary>
internal sealed class GatewayConnection
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly Action<ChatEvent> _publish;
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<ConnectionLoss> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Recovered?> _recovery = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _sending = Task.CompletedTask;
    private int _isLost;
    private int _closedByClient;
    private int _closeSent;

    private GatewayConnection(ClientWebSocket socket, ChatSession session, string? resumeToken, bool resuming, Action<ChatEvent> publish)
    {
        _socket = socket;
        _publish = publish;
        Session = session;
        ResumeToken = resumeToken;
        IsResuming = resuming;
    }

    public ChatSession Session { get; }

    /// <summary>The welcome's <c>session</c>, to resume this connection with; <see langword="null"/> from a gateway that gives none.</summary>
    public string? ResumeToken { get; }

    /// <summary>
    /// Whether this connection resumes an earlier one: it asked to, and the gateway gives sessions,
    /// so a <c>recovered</c> frame will end the resume (<see cref="Recovery"/>).
    /// </summary>
    public bool IsResuming { get; }

    /// <summary>
    /// Completes with the <c>recovered</c> frame, once the messages the earlier connection missed
    /// have been handed on; with <see langword="null"/> if the connection ended first.
    /// </summary>
    public Task<Recovered?> Recovery => _recovery.Task;

    /// <summary>Completes, never faulted, once the connection has ended.</summary>
    public Task<ConnectionLoss> Lost => _lost.Task;

    /// <summary>
    /// Connects, resuming <paramref name="resume"/> if given, and waits for the welcome;
    /// <see cref="Start"/> then begins sending and receiving.
    /// </summary>
    /// <exception cref="ChatException">The gateway could not be reached, refused the upgrade, or sent no welcome in time.</exception>
    public static async Task<GatewayConnection> OpenAsync(
        Uri url, string? user, string? token, ResumePoint? resume, ChatClientOptions options, Action<ChatEvent> publish, CancellationToken cancellationToken)
    {
        var (socket, session, resumeToken) = await GatewayHandshake.OpenAsync(url, user, token, resume, options, cancellationToken);

        // A gateway that gives no session predates resuming: it ignored the request and sends no recovered frame.
        return new GatewayConnection(socket, session, resumeToken, resume is not null && resumeToken is not null, publish);
    }

    public void Start()
    {
        _sending = Task.Run(SendLoopAsync);
        _ = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>
    /// Sends a frame carrying request id <paramref name="id"/> and waits for its answer. The frame
    /// is queued before this method first yields, so calls go out in the order they were made.
    /// </summary>
    /// <exception cref="ChatException">The gateway answered with an error, the connection was lost, or no answer came in time.</exception>
    public async Task<JsonElement> RequestAsync(string id, byte[] frame, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var call = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = call;

        // Checked after registering: either this sees the loss, or the loss sees this call.
        if (Volatile.Read(ref _isLost) == 1 || !_outbox.Writer.TryWrite(frame))
        {
            _pending.TryRemove(id, out _);
            throw Disconnected();
        }

        try
        {
            var answer = await call.Task.WaitAsync(timeout, cancellationToken);
            if (answer.GetProperty("type").GetString() == "error")
            {
                throw new ChatException(
                    answer.TryGetProperty("code", out var code) ? code.GetString() ?? ChatErrorCodes.Internal : ChatErrorCodes.Internal,
                    answer.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "");
            }

            return answer;
        }
        catch (TimeoutException exception)
        {
            throw new ChatException(ChatErrorCodes.Timeout, $"no answer from {Session.Gateway} within {timeout.TotalSeconds:0.###} s", exception);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Closes with 1000 and waits, for a bounded time, for the gateway's close; then the socket is gone.</summary>
    public async Task CloseAsync()
    {
        Interlocked.Exchange(ref _closedByClient, 1);
        _outbox.Writer.TryComplete();
        await Task.WhenAny(_sending, Task.Delay(CloseTimeout));
        await SendCloseAsync(WebSocketCloseStatus.NormalClosure, "client closed");
        if (await Task.WhenAny(_lost.Task, Task.Delay(CloseTimeout)) != _lost.Task)
        {
            _socket.Abort();
        }

        await _lost.Task;
    }

    internal static ChatException Disconnected() =>
        new(ChatErrorCodes.Disconnected, "the connection to the gateway was lost before the answer came");

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync())
            {
                if (Volatile.Read(ref _isLost) == 1 || Volatile.Read(ref _closedByClient) == 1)
                {
                    return;
                }

                // Not cancellable: cancelling a send half-way aborts the socket. The keepalive
                // timeout aborts a socket whose peer stopped reading, which ends a stuck send.
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The receive loop fails too, and ends the connection.
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[8 * 1024];
        ConnectionLoss loss;
        try
        {
            while (true)
            {
                (var type, buffer, var length) = await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    loss = new ConnectionLoss(_socket.CloseStatus, _socket.CloseStatusDescription, null, Volatile.Read(ref _closedByClient) == 1);
                    break;
                }

                if (type == WebSocketMessageType.Text)
                {
                    Dispatch(buffer.AsMemory(0, length));
                }
            }
        }
        catch (Exception exception)
        {
            // Any failure, expected (the socket broke) or not, must end the connection: otherwise
            // Lost never completes, the client never reconnects and disposing it hangs.
            loss = new ConnectionLoss(null, null, exception, Volatile.Read(ref _closedByClient) == 1);
        }

        await EndAsync(loss);
    }

    private async Task EndAsync(ConnectionLoss loss)
    {
        Interlocked.Exchange(ref _isLost, 1);
        _outbox.Writer.TryComplete();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var call))
            {
                call.TrySetException(Disconnected());
            }
        }

        if (_socket.State == WebSocketState.CloseReceived)
        {
            // Completes the close handshake the gateway began.
            await Task.WhenAny(_sending, Task.Delay(CloseTimeout));
            await SendCloseAsync(loss.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "");
        }

        _socket.Dispose();
        _recovery.TrySetResult(null);
        _lost.TrySetResult(loss);
    }

    private async Task SendCloseAsync(WebSocketCloseStatus status, string description)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1 || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            await _socket.CloseOutputAsync(status, description, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Closing as well as one can: the socket is dropped either way.
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            // Gateways send JSON only; a frame that is not is skipped rather than fatal.
            return;
        }

        using (document)
        {
            var frame = document.RootElement;
            if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return;
            }

            var type = typeElement.GetString()!;
            if (type is FrameTypes.Ack or FrameTypes.Presence or FrameTypes.History or FrameTypes.Error && frame.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null)
            {
                // An answer; one nobody waits for anymore answers a call that timed out.
                if (id.ValueKind == JsonValueKind.String && _pending.TryRemove(id.GetString()!, out var call))
                {
                    call.TrySetResult(frame.Clone());
                }

                return;
            }

            try
            {
                if (ServerEvents.Read(type, frame) is { } chatEvent)
                {
                    _publish(chatEvent);
                    if (chatEvent is Recovered recovered)
                    {
                        // After the publish: the recovered messages and this event come before Reconnected.
                        _recovery.TrySetResult(recovered);
                    }
                }
            }
            catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
            {
                // An event without its fields, or with one out of range, is skipped.
            }
        }
    }
}
