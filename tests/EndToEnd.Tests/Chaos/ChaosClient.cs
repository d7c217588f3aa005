using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.EndToEnd.Tests.Chaos;

/// <summary>
/// A chatting user for the chaos test: keeps one connection open (reconnecting, to whichever
/// gateway answers, when it is dropped), sends a numbered direct message to another user on a
/// fixed interval, and records every answer and every message it receives.
/// </summary>
internal sealed class ChaosClient(string user, Func<int, Uri> gateways, int gatewayCount)
{
    private readonly ConcurrentDictionary<string, Sent> _pending = new();
    private readonly ConcurrentBag<Sent> _answered = [];
    private readonly ConcurrentDictionary<(string From, int Number), int> _received = new();
    private readonly List<Connection> _connections = [];
    private ClientWebSocket? _socket;
    private Task _receiving = Task.CompletedTask;
    private int _gateway;

    public string User { get; } = user;

    public IReadOnlyCollection<Sent> Answered => _answered;

    /// <summary>How many times each message (by sender and number) arrived here.</summary>
    public IReadOnlyDictionary<(string From, int Number), int> Received => _received;

    /// <summary>Every connection this user had, with when it was open.</summary>
    public IReadOnlyList<Connection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Chats until <paramref name="stop"/>, sending to a random other user every <paramref name="interval"/>.</summary>
    public async Task RunAsync(IReadOnlyList<string> others, TimeSpan interval, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var number = 0;
        while (!stop.IsCancellationRequested)
        {
            var socket = await ConnectAsync(stop);
            if (socket is null)
            {
                break;
            }

            _receiving = ReceiveAsync(socket);
            try
            {
                while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
                {
                    var to = others[random.Next(others.Count)];
                    var sent = new Sent(User, to, number++, $"{User}-{number}", SentAt: DateTime.UtcNow);
                    _pending[sent.Id] = sent;
                    var frame = JsonSerializer.SerializeToUtf8Bytes(new { type = "send", id = sent.Id, to = new { user = to }, body = new { from = User, n = sent.Number } });
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                    await Task.Delay(interval, stop);
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
            {
                // Dropped (or the test is over): reconnect, or stop.
            }

            if (!stop.IsCancellationRequested)
            {
                // Dropped: the receive loop ends with the connection.
                await _receiving;
            }
        }
    }

    /// <summary>Closes the connection and waits for the answers still due, for up to <paramref name="grace"/>.</summary>
    public async Task FinishAsync(TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        while (!_pending.IsEmpty && DateTime.UtcNow < deadline && _socket?.State == WebSocketState.Open)
        {
            await Task.Delay(100);
        }

        if (_socket is { State: WebSocketState.Open } socket)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                socket.Abort();
            }
        }

        await _receiving;

        // Whatever is still pending never got an answer.
        foreach (var sent in _pending.Values)
        {
            _answered.Add(sent with { Outcome = "unanswered" });
        }

        _pending.Clear();
    }

    /// <summary>The connection of this user that was open at <paramref name="at"/>, if any.</summary>
    public Connection? ConnectionAt(DateTime at)
    {
        lock (_connections)
        {
            return _connections.LastOrDefault(connection => connection.OpenedAt <= at && (connection.ClosedAt is null || connection.ClosedAt >= at));
        }
    }

    private async Task<ClientWebSocket?> ConnectAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await socket.ConnectAsync(gateways(_gateway), timeout.Token);
                _socket = socket;
                return socket;
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
            {
                socket.Dispose();

                // Try the next gateway after a while: this one may be down or restarting.
                _gateway = (_gateway + 1) % gatewayCount;
                await Task.Delay(backoff, CancellationToken.None);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 2000));
            }
        }

        return null;
    }

    private async Task ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        Connection? connection = null;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                var frame = document.RootElement;
                switch (frame.GetProperty("type").GetString())
                {
                    case "welcome":
                        connection = new Connection(frame.GetProperty("connection").GetString()!, DateTime.UtcNow);
                        lock (_connections)
                        {
                            _connections.Add(connection);
                        }

                        break;
                    case "message":
                        var body = frame.GetProperty("body");
                        _received.AddOrUpdate((body.GetProperty("from").GetString()!, body.GetProperty("n").GetInt32()), 1, (_, count) => count + 1);
                        break;
                    case "ack" or "error":
                        if (frame.GetProperty("id").GetString() is { } id && _pending.TryRemove(id, out var sent))
                        {
                            var outcome = frame.GetProperty("type").GetString() == "ack"
                                ? $"ack:{frame.GetProperty("recipients").GetInt32()}"
                                : frame.GetProperty("code").GetString() == "unavailable" && frame.GetProperty("message").GetString()!.Contains("was not sent", StringComparison.Ordinal)
                                    ? "unavailable:not sent"
                                    : frame.GetProperty("code").GetString() == "unavailable" ? "unavailable:unknown" : frame.GetProperty("code").GetString()!;
                            _answered.Add(sent with { Outcome = outcome, AnsweredAt = DateTime.UtcNow });
                        }

                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
            // Dropped.
        }
        finally
        {
            if (connection is not null)
            {
                connection.ClosedAt = DateTime.UtcNow;
            }

            // A message whose answer never came on this connection may or may not have gone out.
            foreach (var sent in _pending.Values)
            {
                if (_pending.TryRemove(sent.Id, out _))
                {
                    _answered.Add(sent with { Outcome = "unanswered" });
                }
            }

            Interlocked.Exchange(ref _gateway, (_gateway + 1) % gatewayCount);
        }
    }

    public sealed record Sent(string From, string To, int Number, string Id, string Outcome = "", DateTime SentAt = default, DateTime AnsweredAt = default);

    public sealed class Connection(string id, DateTime openedAt)
    {
        public string Id { get; } = id;

        public DateTime OpenedAt { get; } = openedAt;

        public DateTime? ClosedAt { get; set; }
    }
}
