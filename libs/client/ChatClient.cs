using System.Net.WebSockets;
using System.Text.Json;
using ChatPlatform.Client.Connections;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Protocol;

namespace ChatPlatform.Client;

/// <summary>
/// A connection to ChatPlatform that stays connected: typed calls that complete with the
/// gateway's answer or throw <see cref="ChatException"/>, incoming messages and membership
/// events as one stream (<see cref="ReadEventsAsync"/>), and automatic reconnects that resume
/// the last connection (its rooms, and the messages it missed) or else join the client's rooms
/// again. Thread-safe; calls go out in the order they are made.
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
///         Console.WriteLine($"{message.FromUser ?? $"[{message.FromSystem}]"}: {message.Body}");
///     }
/// }
/// </code>
/// </example>
public sealed class ChatClient : IAsyncDisposable
{
    /// <summary>The number of messages a history call asks for unless told otherwise (the gateway's default).</summary>
    public const int DefaultHistoryLimit = 50;

    /// <summary>The most messages one history call can ask for.</summary>
    public const int MaxHistoryLimit = 100;

    private readonly ChatClientOptions _options;
    private readonly EventStream _events = new();
    private readonly ClientRooms _rooms = new();
    private readonly ClientLink _link = new();
    private readonly StreamPositions _positions = new();
    private readonly Gateways _gateways;
    private readonly RequestSender _requests;
    private readonly Reconnector _reconnector;
    private Task _supervising = Task.CompletedTask;

    private ChatClient(ChatClientOptions options)
    {
        _options = options;
        _gateways = new Gateways(options, _positions, Deliver);
        _requests = new RequestSender(options);
        _reconnector = new Reconnector(options, _gateways, _link, _rooms, _requests, _events);
    }

    /// <summary>What the welcome of the current (or last) connection said.</summary>
    public ChatSession Session => _link.Session;

    /// <summary>Whether the client is connected, reconnecting, or closed.</summary>
    public ChatConnectionState State => _link.State;

    /// <summary>
    /// The rooms this client is in, or means to be in: a join adds its room at once and a leave
    /// removes it at once; a join the gateway refuses removes it again, and so does a backend
    /// taking the connection out of the room (a <see cref="UserLeft"/> naming this client's own
    /// user). These are the rooms a reconnect joins again.
    /// </summary>
    public IReadOnlyCollection<string> Rooms => _rooms.ToArray();

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
        for (var index = 0; index < client._gateways.Count; index++)
        {
            try
            {
                client.Start(await client._gateways.OpenAsync(index, resume: false, cancellationToken), index);
                return client;
            }
            catch (ChatException exception)
            {
                failure = exception;
            }
        }

        client._link.Dispose();
        throw failure!;
    }

    /// <summary>
    /// The client's events in order: <see cref="Connected"/> first, then messages, joins and
    /// leaves, and connection changes (<see cref="Disconnected"/>, <see cref="Reconnecting"/>,
    /// then, after a resume, the recovered messages and <see cref="Recovered"/>, and
    /// <see cref="Reconnected"/>). A message is handed on once: one at or below the last offset
    /// seen in its stream is dropped. The stream ends after a <see cref="Disconnected"/> that will
    /// not reconnect. Events wait, unbounded, until read; read them with one reader.
    /// </summary>
    public IAsyncEnumerable<ChatEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.ReadAllAsync(cancellationToken);

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
        _rooms.Add(room);
        try
        {
            Answers.RoomAck(await CallAsync(id => ClientFrames.Join(id, room), cancellationToken));
        }
        catch (ChatException exception) when (exception.Code is not (ChatErrorCodes.Disconnected or ChatErrorCodes.Timeout))
        {
            // Refused: not a room to join again. A join cut off by a disconnect is carried out by the
            // reconnect; one that timed out may have taken effect, so it stays too.
            _rooms.Remove(room);
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
        _rooms.Remove(room);
        _positions.Forget(RoomStream(room));
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
    /// The stored messages of a room this client is in: the newest <paramref name="limit"/>, or
    /// the newest older than offset <paramref name="before"/>, oldest first. To page backwards,
    /// pass the first message's <see cref="MessageReceived.Offset"/> as the next <paramref name="before"/>.
    /// </summary>
    /// <param name="room">The room; the client must be in it.</param>
    /// <param name="limit">How many messages, from 1 to 100.</param>
    /// <param name="before">Only messages with a smaller offset; <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not from 1 to 100, or <paramref name="before"/> is not positive.</exception>
    /// <exception cref="ChatException"><c>forbidden</c> for a room the client is not in, <c>unavailable</c> while history cannot be read, and the rest of <see cref="ChatErrorCodes"/>.</exception>
    public async Task<ChatHistory> GetRoomHistoryAsync(string room, int limit = DefaultHistoryLimit, long? before = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        CheckHistoryRange(limit, before);
        return Answers.History(await CallAsync(id => ClientFrames.RoomHistory(id, room, limit, before), cancellationToken));
    }

    /// <summary>
    /// The stored direct messages to this client's user (its <c>user:ID</c> stream), from anyone,
    /// to any of its connections; otherwise as <see cref="GetRoomHistoryAsync"/>.
    /// </summary>
    /// <param name="limit">How many messages, from 1 to 100.</param>
    /// <param name="before">Only messages with a smaller offset; <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not from 1 to 100, or <paramref name="before"/> is not positive.</exception>
    /// <exception cref="ChatException">See <see cref="ChatErrorCodes"/>.</exception>
    public async Task<ChatHistory> GetDirectHistoryAsync(int limit = DefaultHistoryLimit, long? before = null, CancellationToken cancellationToken = default)
    {
        CheckHistoryRange(limit, before);
        return Answers.History(await CallAsync(id => ClientFrames.DirectHistory(id, limit, before), cancellationToken));
    }

    /// <summary>
    /// Closes the connection (1000), stops reconnecting, and fails calls in flight with
    /// <c>disconnected</c>. The event stream ends with a <see cref="Disconnected"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_link.TryClose(out var connection))
        {
            return;
        }

        if (connection is not null)
        {
            await connection.CloseAsync();
        }

        await _supervising;
        _events.Finish(new Disconnected("the client was closed", WebSocketCloseStatus.NormalClosure, null, WillReconnect: false));
        _link.Dispose();
    }

    /// <summary>The stream a room's messages are stored in (docs/protocol.md, "message").</summary>
    private static string RoomStream(string room) => $"room:{room}";

    private static void CheckHistoryRange(int limit, long? before)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxHistoryLimit);
        if (before is { } offset)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(offset, 1, nameof(before));
        }
    }

    /// <summary>
    /// Hands an event from a connection on to the app, unless it is a message seen already. A
    /// <c>left</c> that names the client's own user says a backend took the connection out of the
    /// room: no member's own leave sends one, since it is sent to the members who stay.
    /// </summary>
    private void Deliver(ChatEvent chatEvent)
    {
        if (chatEvent is UserLeft left && left.User == _link.Session.User)
        {
            _rooms.Remove(left.Room);
            _positions.Forget(RoomStream(left.Room));
        }

        if (_positions.Admit(chatEvent))
        {
            _events.Publish(chatEvent);
        }
    }

    private void Start(GatewayConnection first, int urlIndex)
    {
        _link.Start(first, urlIndex);

        // The connection's own events follow Connected: it starts receiving after the publish.
        _events.Publish(new Connected(first.Session));
        first.Start();
        _supervising = Task.Run(() => _reconnector.SuperviseAsync(first));
    }

    private async Task<JsonElement> CallAsync(Func<string, byte[]> frame, CancellationToken cancellationToken)
    {
        var connection = _link.ForCall()
            ?? throw new ChatException(ChatErrorCodes.Disconnected, "not connected to a gateway; the client is reconnecting or has stopped");
        return await _requests.SendAsync(connection, frame, cancellationToken);
    }
}
