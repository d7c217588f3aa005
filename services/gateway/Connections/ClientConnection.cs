using System.Net.WebSockets;
using System.Threading.Channels;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Connections;

/// <summary>
/// One client's WebSocket connection. Frames to the client go through a bounded queue that one
/// sender loop drains, so whoever queues a frame (often the Redis dispatch, for many clients)
/// never waits on a slow socket. A client that lets its queue fill up is disconnected with 1008
/// and its queued frames are dropped. Once closing starts, the close must finish within the
/// close timeout or the socket is aborted.
/// </summary>
internal sealed class ClientConnection
{
    private readonly Channel<byte[]> _outbound;
    private readonly CancellationTokenSource _abort = new();
    private readonly TimeSpan _closeTimeout;
    private readonly int _queueCapacity;
    private readonly Lock _holdGate = new();
    private List<(byte[] Frame, HistoryPosition? Position)>? _held;
    private IReadOnlyDictionary<string, HistoryPosition>? _recoveredUpTo;
    private int _closing;
    private volatile bool _dropQueued;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    /// <param name="grants">What its token grants; nothing when null (a development user).</param>
    public ClientConnection(string id, string userId, int queueCapacity, TimeSpan closeTimeout, ConnectionGrants? grants = null)
    {
        Id = id;
        UserId = userId;
        Grants = grants ?? ConnectionGrants.None;
        Self = [this];
        _closeTimeout = closeTimeout;
        _queueCapacity = queueCapacity;
        _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Id { get; }

    public string UserId { get; }

    /// <summary>This connection as a one-element list, allocated once for delivery lookups.</summary>
    public ClientConnection[] Self { get; }

    public ConnectionGrants Grants { get; }

    /// <summary>Its place in the order this gateway instance opened connections; set by <see cref="LocalConnections.Add"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>Whether presence confirmed it: routers route to it.</summary>
    public bool IsRegistered { get; set; }

    /// <summary>The rooms it is a member of; changed only by <see cref="LocalConnections"/>, under its lock.</summary>
    public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>How the connection ended: a close code, or "aborted" when the socket failed.</summary>
    public string CloseDescription { get; private set; } = "open";

    /// <summary>Queues a frame for the client; while it resumes, holds it until <see cref="ReleaseHeld"/>.</summary>
    /// <param name="position">Where the frame's message is stored, for a message frame; one already recovered is dropped.</param>
    /// <returns>False when the connection is closing, or its queue was full (which closes it).</returns>
    public bool TrySend(byte[] frame, HistoryPosition? position = null)
    {
        if (Volatile.Read(ref _held) is not null)
        {
            lock (_holdGate)
            {
                if (_held is { } held)
                {
                    if (held.Count < _queueCapacity)
                    {
                        held.Add((frame, position));
                        return true;
                    }

                    Close(CloseCodes.PolicyViolation, CloseCodes.OutboundQueueFullReason, drain: false);
                    return false;
                }
            }
        }

        if (position is { } stored && Volatile.Read(ref _recoveredUpTo) is { } recoveredUpTo && WasRecovered(stored, recoveredUpTo))
        {
            // Published before the recovery read it, but it reached this gateway (on the
            // subscription's connection, not the one the read came back on) after the hand-over:
            // it was sent already.
            return true;
        }

        return Queue(frame);
    }

    /// <summary>
    /// From now until <see cref="ReleaseHeld"/>, frames for the client wait (up to its queue's
    /// capacity) while what it missed is sent first. Called before the connection can get any.
    /// </summary>
    public void HoldLive() => _held = [];

    /// <summary>
    /// Queues a recovered frame, waiting for room in the queue: recovery goes at the client's pace.
    /// </summary>
    public ValueTask SendRecoveredAsync(byte[] frame, CancellationToken cancellationToken) =>
        _outbound.Writer.WriteAsync(frame, cancellationToken);

    /// <summary>
    /// Ends a resume: queues <paramref name="recovered"/>, then the frames held meanwhile in the
    /// order they came, except messages already sent again (at or below
    /// <paramref name="recoveredUpTo"/> of their stream, in the same epoch); then frames flow as
    /// usual, still without those: a message published before the recovery read it can reach the
    /// connection after this.
    /// </summary>
    public void ReleaseHeld(IReadOnlyDictionary<string, HistoryPosition> recoveredUpTo, byte[] recovered)
    {
        lock (_holdGate)
        {
            if (_held is not { } held)
            {
                return;
            }

            // Before the hold ends, so that a frame that finds it ended finds this too.
            Volatile.Write(ref _recoveredUpTo, recoveredUpTo.Count == 0 ? null : recoveredUpTo);
            try
            {
                if (!Queue(recovered))
                {
                    return;
                }

                foreach (var (frame, position) in held)
                {
                    if (position is { } stored && WasRecovered(stored, recoveredUpTo))
                    {
                        continue;
                    }

                    if (!Queue(frame))
                    {
                        return;
                    }
                }
            }
            finally
            {
                // Only now: a frame sent meanwhile waits for the lock, and goes after the held ones.
                Volatile.Write(ref _held, null);
            }
        }
    }

    /// <summary>Whether the message at <paramref name="position"/> was among those recovered.</summary>
    private static bool WasRecovered(HistoryPosition position, IReadOnlyDictionary<string, HistoryPosition> recoveredUpTo) =>
        recoveredUpTo.TryGetValue(position.Stream, out var upTo) && position.Epoch == upTo.Epoch && position.Offset <= upTo.Offset;

    private bool Queue(byte[] frame)
    {
        if (_outbound.Writer.TryWrite(frame))
        {
            return true;
        }

        Close(CloseCodes.PolicyViolation, CloseCodes.OutboundQueueFullReason, drain: false);
        return false;
    }

    /// <summary>Starts closing the connection with a close frame; only the first call counts.</summary>
    /// <param name="drain">Send what is queued before the close frame; otherwise drop it.</param>
    public void Close(WebSocketCloseStatus status, string reason, bool drain)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        _dropQueued = !drain;
        CloseDescription = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _outbound.Writer.TryComplete();
        _abort.CancelAfter(_closeTimeout);
    }

    /// <summary>The socket failed: stop at once, without a close frame.</summary>
    public void Abort()
    {
        // Cancel first: completing the queue wakes the sender, which must not see an open socket
        // with a live token and send a close frame.
        var first = Interlocked.Exchange(ref _closing, 1) == 0;
        if (first)
        {
            CloseDescription = "aborted";
        }

        _abort.Cancel();
        if (first)
        {
            _outbound.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Writes <paramref name="welcome"/>, then queued frames until the connection closes, then
    /// the close frame. Ends without throwing when the socket fails or the close times out.
    /// </summary>
    public async Task RunSenderAsync(WebSocket socket, byte[] welcome)
    {
        try
        {
            await socket.SendAsync(welcome, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
            var reader = _outbound.Reader;
            while (await reader.WaitToReadAsync(_abort.Token))
            {
                while (!_dropQueued && reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
                }

                if (_dropQueued)
                {
                    break;
                }
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(_closeStatus, _closeReason, _abort.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // The peer is gone, or did not take our frames within the close timeout.
        }
    }
}
