using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.Testing;

/// <summary>
/// A real WebSocket client for tests. Frames are read in the background and kept until a test
/// asks for them, so a test can wait for the frame it cares about while others queue.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly List<(JsonElement Frame, long ArrivedAt)> _frames = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _receiving;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly HashSet<string> _ignoredTypes;
    private int _nextId;

    private TestClient(ClientWebSocket socket, IEnumerable<string> ignoredTypes)
    {
        _socket = socket;
        _ignoredTypes = [.. ignoredTypes];
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public string ConnectionId { get; private set; } = "";

    public string User { get; private set; } = "";

    public string Gateway { get; private set; } = "";

    public JsonElement Welcome { get; private set; }

    /// <summary>Completes when the server's close frame arrives or the connection drops.</summary>
    public Task Closed => _closed.Task;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    /// <param name="ignoredTypes">Frame types to drop as they arrive, for tests that do not look at them.</param>
    /// <param name="configure">Sets up the upgrade request, e.g. its <c>Authorization</c> or <c>Origin</c> header.</param>
    public static async Task<TestClient> ConnectAsync(Uri uri, TimeSpan? timeout = null, IEnumerable<string>? ignoredTypes = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        configure?.Invoke(socket.Options);
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        await socket.ConnectAsync(uri, cancellation.Token);
        var client = new TestClient(socket, ignoredTypes ?? []);
        var welcome = await client.ExpectAsync("welcome");
        client.Welcome = welcome;
        client.ConnectionId = welcome.GetProperty("connection").GetString()!;
        client.User = welcome.GetProperty("user").GetString()!;
        client.Gateway = welcome.GetProperty("gateway").GetString()!;
        return client;
    }

    /// <summary>Sends a text frame: a string as it is, anything else serialized as JSON.</summary>
    public async Task SendAsync(object frame)
    {
        var bytes = frame is string text ? Encoding.UTF8.GetBytes(text) : JsonSerializer.SerializeToUtf8Bytes(frame);
        await SendRawAsync(bytes, WebSocketMessageType.Text);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage = true)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a message with a fresh id and returns the id.</summary>
    public async Task<string> SendMessageAsync(object to, object body)
    {
        var id = $"m{Interlocked.Increment(ref _nextId)}";
        await SendAsync(new { type = "send", id, to, body });
        return id;
    }

    /// <summary>Sends a message and waits for its ack or error.</summary>
    public async Task<JsonElement> SendAndWaitAsync(object to, object body, TimeSpan? timeout = null)
    {
        var id = await SendMessageAsync(to, body);
        return await ReplyToAsync(id, timeout);
    }

    /// <summary>The ack or error echoing request id <paramref name="id"/>.</summary>
    public Task<JsonElement> ReplyToAsync(string id, TimeSpan? timeout = null) =>
        ExpectAsync(frame =>
            frame.TryGetProperty("type", out var type) && type.GetString() is "ack" or "error"
            && frame.TryGetProperty("id", out var echoed) && echoed.ValueKind == JsonValueKind.String && echoed.GetString() == id,
            $"a reply to {id}", timeout);

    public Task<JsonElement> ExpectAsync(string type, TimeSpan? timeout = null) =>
        ExpectAsync(frame => frame.TryGetProperty("type", out var t) && t.GetString() == type, $"a '{type}' frame", timeout);

    /// <summary>Takes the first frame, queued or still to come, that matches.</summary>
    public async Task<JsonElement> ExpectAsync(Func<JsonElement, bool> match, string description, TimeSpan? timeout = null) =>
        (await ExpectArrivalAsync(match, description, timeout)).Frame;

    /// <summary>As <see cref="ExpectAsync(Func{JsonElement, bool}, string, TimeSpan?)"/>, with when the frame arrived, in Unix milliseconds.</summary>
    public async Task<(JsonElement Frame, long ArrivedAt)> ExpectArrivalAsync(Func<JsonElement, bool> match, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            lock (_frames)
            {
                var index = _frames.FindIndex(entry => match(entry.Frame));
                if (index >= 0)
                {
                    var entry = _frames[index];
                    _frames.RemoveAt(index);
                    return entry;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_closed.Task.IsCompleted && _arrived.CurrentCount == 0))
            {
                throw new TimeoutException($"{User}@{Gateway} did not receive {description}; queued: [{string.Join(", ", Pending().Select(f => f.GetRawText()))}]; close: {CloseStatus} {CloseStatusDescription}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Asserts that no frame matching arrives within <paramref name="window"/>.</summary>
    public async Task ExpectNothingAsync(Func<JsonElement, bool> match, TimeSpan window)
    {
        await Task.Delay(window);
        lock (_frames)
        {
            var unexpected = _frames.Select(entry => entry.Frame).FirstOrDefault(match);
            if (unexpected.ValueKind != JsonValueKind.Undefined)
            {
                throw new InvalidOperationException($"{User}@{Gateway} received an unexpected frame: {unexpected.GetRawText()}");
            }
        }
    }

    /// <summary>Takes every frame received so far that matches, in the order they arrived.</summary>
    public IReadOnlyList<JsonElement> TakeAll(Func<JsonElement, bool> match)
    {
        lock (_frames)
        {
            var taken = _frames.Where(entry => match(entry.Frame)).Select(entry => entry.Frame).ToList();
            _frames.RemoveAll(entry => match(entry.Frame));
            return taken;
        }
    }

    public IReadOnlyList<JsonElement> Pending()
    {
        lock (_frames)
        {
            return [.. _frames.Select(entry => entry.Frame)];
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cancellation = new CancellationTokenSource(DefaultTimeout);
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellation.Token);
        }

        await _closed.Task.WaitAsync(DefaultTimeout);
    }

    /// <summary>Drops the TCP connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException or OperationCanceledException)
        {
            _socket.Abort();
        }

        await _receiving;
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        // Small to start: tests open a thousand of these. It doubles for a larger frame.
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var frame = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                if (_ignoredTypes.Count > 0 && frame.TryGetProperty("type", out var type) && _ignoredTypes.Contains(type.GetString()!))
                {
                    continue;
                }

                var arrivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                lock (_frames)
                {
                    _frames.Add((frame, arrivedAt));
                }

                _arrived.Release();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection dropped; Closed completes below.
        }
        finally
        {
            _closed.TrySetResult();
            _arrived.Release();
        }
    }
}
