using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using ChatPlatform.Client.Connections;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Protocol;

namespace ChatPlatform.Client;

/// <summary>
/// A connection to ChatPlatform that stays connected: typed calls that complete with the
/// gateway's answer or throw <see cref="ChatException"/>, incoming messages and membership
/// events as one stream (<see cref="ReadEventsAsync"/>), and automatic reconnects that join
/// the client's rooms again. Thread-safe; calls go out in the order they are made.
/// </summary>
/// <example>
/// <code>
/// var options = new ChatClientOptions { User = "alice", Urls = { new Uri("ws://127.0.0.1:8081/ws") } };
/// await using var client = await ChatClient.ConnectAsync(options);
/// await client.JoinAsync("lobby");
/// await client.SendToRoomAsync("lobby", new { text = "hi all" });
/// await foreach (var chatEvent in client.ReadEventsAsync())
/// {
///     if (chatEvent is MessageReceived message)
///     {
///         Console.WriteLine($"{message.FromUser}: {message.Body}");
///     }
/// }
/// </code>
/// </example>
public sealed class ChatClient : IAsyncDisposable
{
    /// <summary>A room refused for sending too fast is tried again after this while rejoining.</summary>
    private static readonly TimeSpan RejoinRateLimitPause = TimeSpan.FromSeconds(1);

    private const int RejoinRateLimitRetries = 10;

    private readonly ChatClientOptions _options;
    private readonly Uri[] _urls;
    private readonly ReconnectBackoff _backoff;
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private GatewayConnection? _connection;
    private ChatSession? _session;
    private Task _supervising = Task.CompletedTask;
    private ChatConnectionState _state = ChatConnectionState.Connected;
    private int _urlIndex;
    private long _nextRequestId;
    private bool _disposed;
    private int _finished;

    private ChatClient(ChatClientOptions options)
    {
        _options = options;
        _urls = [.. options.Urls];
        _backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, Random.Shared);
    }

    /// <summary>What the welcome of the current (or last) connection said.</summary>
    public ChatSession Session
    {
        get
        {
            lock (_gate)
            {
                return _session!;
            }
        }
    }

    /// <summary>Whether the client is connected, reconnecting, or closed.</summary>
    public ChatConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// The rooms this client is in, or means to be in: a join adds its room at once and a leave
    /// removes it at once; a join the gateway refuses removes it again. These are the rooms a
    /// reconnect joins again.
    /// </summary>
    public IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_rooms)
            {
                return [.. _rooms];
            }
        }
    }

    /// <summary>
    /// Connects to the first gateway in <see cref="ChatClientOptions.Urls"/> that welcomes the
    /// connection, trying each once.
    /// </summary>
    /// <exception cref="ArgumentException">The options are incomplete or contradictory.</exception>
    /// <exception cref="ChatException">No gateway welcomed the connection: the last attempt's <c>connect_failed</c>, <c>unauthorized</c> for refused credentials, or <c>protocol_error</c> for a malformed welcome.</exception>
    public static async Task<ChatClient> ConnectAsync(ChatClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new ChatClient(options);
        ChatException? failure = null;
        for (var index = 0; index < client._urls.Length; index++)
        {
            try
            {
                client.Start(await client.OpenAsync(client._urls[index], cancellationToken), index);
                return client;
            }
            catch (ChatException exception)
            {
                failure = exception;
            }
        }

        client._lifetime.Dispose();
        throw failure!;
    }

    /// <summary>
    /// The client's events in order: <see cref="Connected"/> first, then messages, joins and
    /// leaves, and connection changes (<see cref="Disconnected"/>, <see cref="Reconnecting"/>,
    /// <see cref="Reconnected"/>). The stream ends after a <see cref="Disconnected"/> that will
    /// not reconnect. Events wait, unbounded, until read; read them with one reader.
    /// </summary>
    public IAsyncEnumerable<ChatEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Sends <paramref name="body"/> (any JSON-serializable value, or a <see cref="JsonElement"/>, sent as the same JSON value) to <paramref name="target"/>.</summary>
    /// <returns>The message id and the number of connections it was routed to.</returns>
    /// <exception cref="ChatException"><c>offline</c>, <c>forbidden</c>, <c>bad_request</c>, <c>too_large</c>, <c>timeout</c>, <c>disconnected</c> and the rest of <see cref="ChatErrorCodes"/>.</exception>
    public async Task<SendResult> SendAsync<TBody>(ChatTarget target, TBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var json = JsonSerializer.SerializeToUtf8Bytes(body, _options.SerializerOptions);
        return Answers.Sent(await CallAsync(id => ClientFrames.Send(id, target, json), cancellationToken));
    }

    /// <summary>Sends to every connection of <paramref name="user"/>, on any gateway; see <see cref="SendAsync{TBody}"/>.</summary>
    public Task<SendResult> SendToUserAsync<TBody>(string user, TBody body, CancellationToken cancellationToken = default) =>
        SendAsync(ChatTarget.User(user), body, cancellationToken);

    /// <summary>Sends to one connection; see <see cref="SendAsync{TBody}"/>.</summary>
    public Task<SendResult> SendToConnectionAsync<TBody>(string connectionId, TBody body, CancellationToken cancellationToken = default) =>
        SendAsync(ChatTarget.Connection(connectionId), body, cancellationToken);

    /// <summary>Sends to every member connection of a room this client has joined, but this one; see <see cref="SendAsync{TBody}"/>.</summary>
    public Task<SendResult> SendToRoomAsync<TBody>(string room, TBody body, CancellationToken cancellationToken = default) =>
        SendAsync(ChatTarget.Room(room), body, cancellationToken);

    /// <summary>Sends to every connection but this one, where the gateway allows it; see <see cref="SendAsync{TBody}"/>.</summary>
    public Task<SendResult> SendToEveryoneAsync<TBody>(TBody body, CancellationToken cancellationToken = default) =>
        SendAsync(ChatTarget.Everyone, body, cancellationToken);

    /// <summary>
    /// Joins a room: once this completes, the client gets every message sent to it. Joining twice
    /// is harmless. A join that fails with <c>disconnected</c> (made while reconnecting, or cut
    /// off by a lost connection) still counts: the reconnect joins the room. So does one that fails
    /// with <c>timeout</c>, which may have taken effect; any other failure drops the room.
    /// </summary>
    /// <exception cref="ChatException">See <see cref="ChatErrorCodes"/>; <c>bad_request</c> for an invalid room name or too many rooms.</exception>
    public async Task JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        lock (_rooms)
        {
            _rooms.Add(room);
        }

        try
        {
            Answers.RoomAck(await CallAsync(id => ClientFrames.Join(id, room), cancellationToken));
        }
        catch (ChatException exception) when (exception.Code is not (ChatErrorCodes.Disconnected or ChatErrorCodes.Timeout))
        {
            // Refused: not a room to join again. A join cut off by a disconnect is carried out by the
            // reconnect; one that timed out may have taken effect, so it stays too.
            lock (_rooms)
            {
                _rooms.Remove(room);
            }

            throw;
        }
    }

    /// <summary>
    /// Leaves a room. Leaving a room the client is not in is harmless. A leave that fails with
    /// <c>disconnected</c> still counts: the reconnect does not join the room again.
    /// </summary>
    /// <exception cref="ChatException">See <see cref="ChatErrorCodes"/>.</exception>
    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        lock (_rooms)
        {
            _rooms.Remove(room);
        }

        Answers.RoomAck(await CallAsync(id => ClientFrames.Leave(id, room), cancellationToken));
    }

    /// <summary>Who is in a room: each member user once, in ordinal order. Anyone may ask.</summary>
    /// <exception cref="ChatException">See <see cref="ChatErrorCodes"/>.</exception>
    public async Task<RoomPresence> GetRoomPresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return Answers.Room(await CallAsync(id => ClientFrames.RoomPresence(id, room), cancellationToken));
    }

    /// <summary>Whether a user is online, and with how many connections.</summary>
    /// <exception cref="ChatException">See <see cref="ChatErrorCodes"/>.</exception>
    public async Task<UserPresence> GetUserPresenceAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return Answers.User(await CallAsync(id => ClientFrames.UserPresence(id, user), cancellationToken));
    }

    /// <summary>
    /// Closes the connection (1000), stops reconnecting, and fails calls in flight with
    /// <c>disconnected</c>. The event stream ends with a <see cref="Disconnected"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        GatewayConnection? connection;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _state = ChatConnectionState.Closed;
            _lifetime.Cancel();
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            await connection.CloseAsync();
        }

        await _supervising;
        Finish(new Disconnected("the client was closed", WebSocketCloseStatus.NormalClosure, null, WillReconnect: false));
        _lifetime.Dispose();
    }

    private async Task<GatewayConnection> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        var token = _options.Token;
        if (_options.TokenProvider is { } provider)
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

        return await GatewayConnection.OpenAsync(url, _options.User, token, _options, Publish, cancellationToken);
    }

    private void Start(GatewayConnection first, int urlIndex)
    {
        _connection = first;
        _session = first.Session;
        _urlIndex = urlIndex;

        // The connection's own events follow Connected: it starts receiving after the publish.
        Publish(new Connected(first.Session));
        first.Start();
        _supervising = Task.Run(() => SuperviseAsync(first));
    }

    private async Task<JsonElement> CallAsync(Func<string, byte[]> frame, CancellationToken cancellationToken)
    {
        GatewayConnection? connection;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = _state == ChatConnectionState.Connected ? _connection : null;
        }

        if (connection is null)
        {
            throw new ChatException(ChatErrorCodes.Disconnected, "not connected to a gateway; the client is reconnecting or has stopped");
        }

        return await CallOnAsync(connection, frame, cancellationToken);
    }

    private Task<JsonElement> CallOnAsync(GatewayConnection connection, Func<string, byte[]> frame, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextRequestId).ToString(CultureInfo.InvariantCulture);
        var bytes = frame(id);
        if (bytes.Length > _options.MaxFrameBytes)
        {
            throw new ChatException(ChatErrorCodes.TooLarge, $"the frame is {bytes.Length} bytes; the limit is {_options.MaxFrameBytes}");
        }

        return connection.RequestAsync(id, bytes, _options.RequestTimeout, cancellationToken);
    }

    /// <summary>Waits for each connection to end, and connects again while the policy says to.</summary>
    private async Task SuperviseAsync(GatewayConnection connection)
    {
        while (true)
        {
            var loss = await connection.Lost;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _connection = null;
                _state = ChatConnectionState.Reconnecting;
            }

            if (!_options.Reconnect || !ReconnectPolicy.ShouldReconnect(loss))
            {
                Finish(new Disconnected(loss.Describe(), loss.CloseStatus, loss.CloseDescription, WillReconnect: false));
                return;
            }

            Publish(new Disconnected(loss.Describe(), loss.CloseStatus, loss.CloseDescription, WillReconnect: true));
            if (await ReconnectAsync() is not { } next)
            {
                return;
            }

            connection = next;
        }
    }

    /// <summary>
    /// Connects again with backoff, moving through the gateway URLs, and joins the rooms again.
    /// Returns <see langword="null"/> when the client was disposed or reconnecting is hopeless.
    /// </summary>
    private async Task<GatewayConnection?> ReconnectAsync()
    {
        string? lastError = null;
        for (var attempt = 1; ; attempt++)
        {
            var delay = _backoff.Delay(attempt - 1);
            var urlIndex = (_urlIndex + attempt) % _urls.Length;
            Publish(new Reconnecting(attempt, delay, _urls[urlIndex], lastError));
            GatewayConnection connection;
            try
            {
                await Task.Delay(delay, _lifetime.Token);
                connection = await OpenAsync(_urls[urlIndex], _lifetime.Token);
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return null;
            }
            catch (ChatException exception)
            {
                if (ReconnectPolicy.IsFatal(exception, _options.TokenProvider is not null))
                {
                    Finish(new Disconnected($"gave up reconnecting: {exception.Message}", null, null, WillReconnect: false));
                    return null;
                }

                lastError = exception.Message;
                continue;
            }

            connection.Start();
            if (await RejoinAsync(connection, urlIndex) is not { } error)
            {
                return connection;
            }

            await connection.CloseAsync();
            if (_lifetime.IsCancellationRequested)
            {
                return null;
            }

            lastError = error;
        }
    }

    /// <summary>
    /// Brings a new connection's rooms in line with <see cref="Rooms"/>, then makes it the
    /// client's connection; returns <see langword="null"/> once it is, or why it is not. Rooms are
    /// joined one at a time. A room the gateway refuses (e.g. <c>forbidden</c>) is dropped and
    /// reported; a failure that says nothing about the room (disconnected, timeout, unavailable,
    /// internal) fails the attempt, so the client connects again later. Being rate limited only
    /// slows the rejoin down. A join or leave made meanwhile fails with <c>disconnected</c> but
    /// changes <see cref="Rooms"/>, so the rooms are compared again, under the lock that calls
    /// take, until nothing is left to do.
    /// </summary>
    private async Task<string?> RejoinAsync(GatewayConnection connection, int urlIndex)
    {
        var joined = new List<string>();
        while (true)
        {
            string[] toJoin;
            string[] toLeave;
            lock (_gate)
            {
                lock (_rooms)
                {
                    toJoin = [.. _rooms.Where(room => !joined.Contains(room, StringComparer.Ordinal))];
                    toLeave = [.. joined.Where(room => !_rooms.Contains(room))];
                }

                if (_disposed)
                {
                    return "the client was closed";
                }

                if (toJoin.Length == 0 && toLeave.Length == 0)
                {
                    _connection = connection;
                    _session = connection.Session;
                    _state = ChatConnectionState.Connected;
                    _urlIndex = urlIndex;
                    Publish(new Reconnected(connection.Session, [.. joined]));
                    return null;
                }
            }

            foreach (var room in toJoin)
            {
                switch (await RejoinRoomAsync(connection, room))
                {
                    case RejoinOutcome.Joined:
                        joined.Add(room);
                        break;
                    case RejoinOutcome.Failed failed:
                        return failed.Error;
                }
            }

            foreach (var room in toLeave)
            {
                try
                {
                    Answers.RoomAck(await CallOnAsync(connection, id => ClientFrames.Leave(id, room), _lifetime.Token));
                    joined.Remove(room);
                }
                catch (OperationCanceledException)
                {
                    return "the client was closed";
                }
                catch (ChatException exception)
                {
                    return $"could not leave {room}: {exception.Code}: {exception.Message}";
                }
            }
        }
    }

    /// <summary>Joins one room on a new connection; see <see cref="RejoinAsync"/>.</summary>
    private async Task<RejoinOutcome> RejoinRoomAsync(GatewayConnection connection, string room)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                Answers.RoomAck(await CallOnAsync(connection, id => ClientFrames.Join(id, room), _lifetime.Token));
                return RejoinOutcome.Joined.Instance;
            }
            catch (OperationCanceledException)
            {
                return new RejoinOutcome.Failed("the client was closed");
            }
            catch (ChatException exception) when (exception.Code == ChatErrorCodes.RateLimited && retry < RejoinRateLimitRetries)
            {
                try
                {
                    await Task.Delay(RejoinRateLimitPause, _lifetime.Token);
                }
                catch (OperationCanceledException)
                {
                    return new RejoinOutcome.Failed("the client was closed");
                }
            }
            catch (ChatException exception) when (exception.Code is ChatErrorCodes.BadRequest or ChatErrorCodes.Forbidden)
            {
                lock (_rooms)
                {
                    _rooms.Remove(room);
                }

                Publish(new RejoinFailed(room, exception.Code, exception.Message));
                return RejoinOutcome.Dropped.Instance;
            }
            catch (ChatException exception)
            {
                return new RejoinOutcome.Failed($"could not join {room} again: {exception.Code}: {exception.Message}");
            }
        }
    }

    private void Publish(ChatEvent chatEvent) => _events.Writer.TryWrite(chatEvent);

    /// <summary>Publishes the last event and ends the stream, once.</summary>
    private void Finish(Disconnected last)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        lock (_gate)
        {
            _state = ChatConnectionState.Closed;
        }

        _events.Writer.TryWrite(last);
        _events.Writer.TryComplete();
    }
}
