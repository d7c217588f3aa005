using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Chaos;

/// <summary>
/// A chatting user for the chaos test: keeps one connection open, sends a numbered direct
/// message to another user on a fixed interval, and records every answer and every message it
/// receives. When its connection is dropped it resumes, to whichever gateway answers, with the
/// <c>session</c> of its last <c>welcome</c> and the offset of the last message it got in each
/// stream (docs/protocol.md, "Resuming a connection"), and records each <c>recovered</c> frame.
/// It checks as it goes that in each stream the offsets it gets only go up within one epoch.
/// </summary>
internal sealed class ChaosClient(string user, Func<int, Uri> gateways, int gatewayCount)
{
    private readonly ConcurrentDictionary<string, Sent> _pending = new();
    private readonly ConcurrentBag<Sent> _answered = [];
    private readonly List<Arrival> _arrivals = [];
    private readonly List<Connection> _connections = [];
    private readonly List<OffsetFault> _offsetFaults = [];
    private readonly List<OffsetFault> _gaps = [];

    // What a resume asks for: the session of the last welcome, and the last offset got per stream
    // (with the connection it came on). Written by the receive loop, read between connections.
    private readonly Lock _state = new();
    private readonly Dictionary<string, (long Offset, Connection On)> _positions = new(StringComparer.Ordinal);

    // The offset check: the last offset seen per stream since the current epoch's expectation began.
    private readonly Dictionary<string, long> _expected = new(StringComparer.Ordinal);
    private string? _session;
    private ClientWebSocket? _socket;
    private Task _receiving = Task.CompletedTask;
    private int _gateway;

    public string User { get; } = user;

    public IReadOnlyCollection<Sent> Answered => _answered;

    /// <summary>Every message that arrived here, in arrival order.</summary>
    public IReadOnlyList<Arrival> Arrivals
    {
        get
        {
            lock (_state)
            {
                return [.. _arrivals];
            }
        }
    }

    /// <summary>Every connection this user had, with when it was open and how its resume ended.</summary>
    public IReadOnlyList<Connection> Connections
    {
        get
        {
            lock (_state)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Messages whose offset was not above the last one seen in its stream, in the same epoch.</summary>
    public IReadOnlyList<OffsetFault> OffsetFaults
    {
        get
        {
            lock (_state)
            {
                return [.. _offsetFaults];
            }
        }
    }

    /// <summary>
    /// Messages whose offset skipped one or more after the last one seen in its stream, in the same
    /// epoch: stored messages this user never got.
    /// </summary>
    public IReadOnlyList<OffsetFault> Gaps
    {
        get
        {
            lock (_state)
            {
                return [.. _gaps];
            }
        }
    }

    /// <summary>
    /// Chats until <paramref name="stop"/>, sending to a random other user every <paramref name="interval"/>;
    /// after a drop, resumes within <paramref name="awayAfterDrop"/> (a random pause).
    /// </summary>
    public async Task RunAsync(IReadOnlyList<string> others, TimeSpan interval, TimeSpan awayAfterDrop, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var number = 0;
        while (!stop.IsCancellationRequested)
        {
            var attempt = await ConnectAsync(stop);
            if (attempt is not { } connected)
            {
                break;
            }

            var socket = connected.Socket;
            _receiving = ReceiveAsync(socket, connected.Resumed, connected.Since);
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
                // Dropped (or the test is over): resume, or stop.
            }

            if (!stop.IsCancellationRequested)
            {
                // Dropped: the receive loop ends with the connection. Stay away a while, as a
                // client does whose network went, so that messages come while it has no connection.
                await _receiving;
                try
                {
                    await Task.Delay(random.Next((int)awayAfterDrop.TotalMilliseconds + 1), stop);
                }
                catch (OperationCanceledException)
                {
                    // The test is over.
                }
            }
        }
    }

    /// <summary>
    /// Redis is back empty: every stream starts a new epoch, whose offsets start again at 1. Messages
    /// carry no epoch, so the offset check starts a new expectation from here.
    /// </summary>
    public void NewEpochs()
    {
        lock (_state)
        {
            _expected.Clear();
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
        lock (_state)
        {
            return _connections.LastOrDefault(connection => connection.OpenedAt <= at && (connection.ClosedAt is null || connection.ClosedAt >= at));
        }
    }

    /// <summary>Connects, resuming the last session if there was one; null once <paramref name="stop"/> is set.</summary>
    private async Task<(ClientWebSocket Socket, bool Resumed, IReadOnlyList<(string Stream, long Offset)> Since)?> ConnectAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            string? session;
            List<(string Stream, long Offset)> since;
            lock (_state)
            {
                session = _session;
                since = [.. _positions.Select(position => (position.Key, position.Value.Offset))];
            }

            var socket = new ClientWebSocket();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var address = gateways(_gateway);
                await socket.ConnectAsync(session is null ? address : Resume.Uri(address, session, since), timeout.Token);
                _socket = socket;
                return (socket, session is not null, since);
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

    private async Task ReceiveAsync(ClientWebSocket socket, bool resumed, IReadOnlyList<(string Stream, long Offset)> since)
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
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

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
                        connection = new Connection(frame.GetProperty("connection").GetString()!, DateTime.UtcNow, resumed, since);
                        OnWelcome(connection, frame.GetProperty("session").GetString()!);
                        break;
                    case "message" when connection is not null:
                        OnMessage(connection, frame);
                        break;
                    case "recovered" when connection is not null:
                        OnRecovered(connection, frame);
                        break;
                    case "ack" or "error":
                        if (frame.GetProperty("id").GetString() is { } id && _pending.TryRemove(id, out var sent))
                        {
                            _answered.Add(sent with
                            {
                                Outcome = Outcome(frame),
                                Stored = frame.TryGetProperty("stored", out var stored) && stored.GetBoolean(),
                                MessageId = frame.GetProperty("type").GetString() == "ack" ? frame.GetProperty("message").GetString() : null,
                                AnsweredAt = DateTime.UtcNow,
                            });
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
                lock (_state)
                {
                    connection.ClosedAt = DateTime.UtcNow;
                }
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

    private void OnWelcome(Connection connection, string session)
    {
        lock (_state)
        {
            _connections.Add(connection);
            _session = session;
            if (!connection.Resumed)
            {
                // A fresh session: nothing before it is expected to continue.
                _expected.Clear();
                _positions.Clear();
            }
        }
    }

    private void OnMessage(Connection connection, JsonElement frame)
    {
        var body = frame.GetProperty("body");
        var stream = Resume.Stream(frame);
        long? offset = stream is null ? null : Resume.Offset(frame);
        var arrival = new Arrival(
            frame.GetProperty("message").GetString()!,
            body.GetProperty("from").GetString()!,
            body.GetProperty("n").GetInt32(),
            stream,
            offset,
            Resume.WasRecovered(frame),
            connection.Id,
            DateTime.UtcNow);
        lock (_state)
        {
            _arrivals.Add(arrival);
            if (arrival.Recovered)
            {
                connection.RecoveredMessages++;
            }

            if (stream is null || offset is not { } at)
            {
                return;
            }

            if (_expected.TryGetValue(stream, out var last) && at <= last)
            {
                _offsetFaults.Add(new OffsetFault(User, stream, last, at, arrival));
            }
            else if (last > 0 && at > last + 1)
            {
                _gaps.Add(new OffsetFault(User, stream, last, at, arrival));
            }

            _expected[stream] = Math.Max(at, last);
            _positions[stream] = (at, connection);
        }
    }

    private void OnRecovered(Connection connection, JsonElement frame)
    {
        var complete = frame.GetProperty("complete").GetBoolean();
        lock (_state)
        {
            connection.Recovery = new Recovery(DateTime.UtcNow, frame.GetProperty("messages").GetInt32(), complete, connection.RecoveredMessages);
            if (!complete)
            {
                // History no longer covers the gap in some stream (it may be of a new epoch): what
                // comes next starts a new expectation. A position got before this connection may
                // belong to a lost epoch, so the next resume does not name it; the session this
                // welcome gave carries on from where the resumed one started.
                _expected.Clear();
                foreach (var stream in _positions.Where(position => position.Value.On != connection).Select(position => position.Key).ToList())
                {
                    _positions.Remove(stream);
                }
            }
        }
    }

    private static string Outcome(JsonElement frame)
    {
        if (frame.GetProperty("type").GetString() == "ack")
        {
            return $"ack:{frame.GetProperty("recipients").GetInt32()}";
        }

        var code = frame.GetProperty("code").GetString()!;
        return code != "unavailable" ? code
            : frame.GetProperty("message").GetString()!.Contains("was not sent", StringComparison.Ordinal) ? "unavailable:not sent"
            : "unavailable:unknown";
    }

    /// <summary>A message sent, and its answer: <see cref="MessageId"/> is the id the platform gave it, from its ack.</summary>
    public sealed record Sent(
        string From,
        string To,
        int Number,
        string Id,
        string Outcome = "",
        DateTime SentAt = default,
        DateTime AnsweredAt = default,
        bool Stored = false,
        string? MessageId = null)
    {
        public bool Acked => Outcome.StartsWith("ack", StringComparison.Ordinal);

        /// <summary>Acked with <c>"recipients":0,"stored":true</c>: kept for a recipient who may resume.</summary>
        public bool StoredForLater => Outcome == "ack:0" && Stored;
    }

    /// <summary>A message frame as it arrived: live, or recovered on a resume.</summary>
    public sealed record Arrival(string MessageId, string From, int Number, string? Stream, long? Offset, bool Recovered, string ConnectionId, DateTime At);

    /// <summary>A message whose offset did not follow the last one seen in its stream (<paramref name="Last"/>): at or below it, or past the next.</summary>
    public sealed record OffsetFault(string User, string Stream, long Last, long Offset, Arrival Arrival);

    /// <summary>A <c>recovered</c> frame: when it came, what it said, and how many recovered messages came before it.</summary>
    public sealed record Recovery(DateTime At, int Messages, bool Complete, int Counted);

    public sealed class Connection(string id, DateTime openedAt, bool resumed, IReadOnlyList<(string Stream, long Offset)> since)
    {
        public string Id { get; } = id;

        public DateTime OpenedAt { get; } = openedAt;

        public DateTime? ClosedAt { get; set; }

        /// <summary>Opened with <c>resume</c> (and these <c>since</c> positions).</summary>
        public bool Resumed { get; } = resumed;

        public IReadOnlyList<(string Stream, long Offset)> Since { get; } = since;

        /// <summary>Message frames with <c>"recovered":true</c> that arrived on it.</summary>
        public int RecoveredMessages { get; set; }

        /// <summary>Its <c>recovered</c> frame; null if it did not resume, or closed before the frame came.</summary>
        public Recovery? Recovery { get; set; }

        public override string ToString() =>
            $"{Id} open {OpenedAt:HH:mm:ss.fff}-{(ClosedAt is { } closed ? closed.ToString("HH:mm:ss.fff") : "end")}"
            + (Resumed ? $" resumed since [{string.Join(' ', Since.Select(position => $"{position.Stream}:{position.Offset}"))}]" : " fresh")
            + (Recovery is { } recovery ? $" recovered {recovery.Messages} complete:{recovery.Complete.ToString().ToLowerInvariant()} at {recovery.At:HH:mm:ss.fff}" : Resumed ? " no recovered frame" : "");
    }
}
