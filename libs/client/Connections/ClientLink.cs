namespace ChatPlatform.Client.Connections;

/// <summary>
/// A client's connection of the moment, the session its welcome gave, and the client's state,
/// behind the one lock that calls and changes of connection take. It guarantees:
/// <list type="bullet">
/// <item>a call gets a connection only while the state is <see cref="ChatConnectionState.Connected"/>;</item>
/// <item>once closed it stays closed: <see cref="Lifetime"/> is cancelled under the lock, so whoever
/// sees the link open also sees the lifetime running, and no connection is installed after;</item>
/// <item><see cref="TryInstall"/> compares the client's rooms and installs a connection in one step
/// with respect to calls, so a join or leave made meanwhile is either in the comparison or
/// finds the new connection in place and is sent on it.</item>
/// </list>
/// </summary>
internal sealed class ClientLink : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private GatewayConnection? _connection;
    private ChatSession? _session;
    private ChatConnectionState _state = ChatConnectionState.Connected;
    private int _urlIndex;
    private bool _closed;

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

    /// <summary>Which of the client's gateway URLs the current (or last) connection went to.</summary>
    public int UrlIndex
    {
        get
        {
            lock (_gate)
            {
                return _urlIndex;
            }
        }
    }

    /// <summary>Cancelled when the client is closed (<see cref="TryClose"/>).</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    public bool IsClosing => _lifetime.IsCancellationRequested;

    /// <summary>Installs the first connection, before anything else can use the link.</summary>
    public void Start(GatewayConnection first, int urlIndex)
    {
        lock (_gate)
        {
            _connection = first;
            _session = first.Session;
            _urlIndex = urlIndex;
        }
    }

    /// <summary>The connection to send a call on, or <see langword="null"/> while reconnecting or closed.</summary>
    /// <exception cref="ObjectDisposedException">The client was closed with <see cref="TryClose"/>.</exception>
    public GatewayConnection? ForCall()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(ChatClient));
            return _state == ChatConnectionState.Connected ? _connection : null;
        }
    }

    /// <summary>
    /// Lets go of a lost connection: calls fail with <c>disconnected</c> until the next is
    /// installed. Returns <see langword="false"/>, and changes nothing, once the client is closed.
    /// </summary>
    public bool TryMarkLost()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _connection = null;
            _state = ChatConnectionState.Reconnecting;
            return true;
        }
    }

    /// <summary>The client stopped reconnecting by itself (it stays open for <see cref="TryClose"/>).</summary>
    public void MarkClosed()
    {
        lock (_gate)
        {
            _state = ChatConnectionState.Closed;
        }
    }

    /// <summary>
    /// Closes the client for good and cancels <see cref="Lifetime"/>; hands back the connection
    /// to close, if there is one. Returns <see langword="false"/> when it was closed already.
    /// </summary>
    public bool TryClose(out GatewayConnection? connection)
    {
        lock (_gate)
        {
            connection = null;
            if (_closed)
            {
                return false;
            }

            _closed = true;
            _state = ChatConnectionState.Closed;
            _lifetime.Cancel();
            connection = _connection;
            _connection = null;
            return true;
        }
    }

    /// <summary>
    /// Makes <paramref name="connection"/>, which is in the rooms <paramref name="joined"/>, the
    /// client's connection if that is all of <paramref name="rooms"/>; then runs
    /// <paramref name="installed"/>, still under the lock, before any call can see the new connection.
    /// </summary>
    /// <returns>
    /// What the connection must still join and leave (nothing once it is installed), or
    /// <see langword="null"/> when the client was closed.
    /// </returns>
    public RoomChanges? TryInstall(GatewayConnection connection, int urlIndex, ClientRooms rooms, IReadOnlyCollection<string> joined, Action installed)
    {
        lock (_gate)
        {
            var changes = rooms.ChangesFrom(joined);
            if (_closed)
            {
                return null;
            }

            if (changes.IsEmpty)
            {
                _connection = connection;
                _session = connection.Session;
                _state = ChatConnectionState.Connected;
                _urlIndex = urlIndex;
                installed();
            }

            return changes;
        }
    }

    public void Dispose() => _lifetime.Dispose();
}
