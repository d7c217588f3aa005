using System.Collections.Concurrent;

namespace ChatPlatform.Load.Stats;

/// <summary>
/// Counts what happens in a run, from many threads, and sums it up at the end. Client numbers
/// (<c>0 … clients-1</c>) name senders and receivers; a sender numbers its messages from 0.
/// <see cref="Delivered"/> must be called for one receiver from one thread at a time (each
/// client's single event reader), and <see cref="Summarize"/> once the readers have stopped.
/// </summary>
internal sealed class LoadRecorder
{
    private readonly SequenceSet[] _acked;
    private readonly Dictionary<int, SequenceSet>[] _received;
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly LatencyHistogram _connect = new();
    private readonly LatencyHistogram _ack = new();
    private readonly LatencyHistogram _delivery = new();
    private long _connected;
    private long _connectFailed;
    private long _sent;
    private long _skipped;
    private long _ackedCount;
    private long _expected;
    private long _unique;
    private long _duplicates;
    private long _foreign;
    private long _disconnects;
    private long _lastDeliveryUs;

    public LoadRecorder(int clients)
    {
        _acked = new SequenceSet[clients];
        _received = new Dictionary<int, SequenceSet>[clients];
        for (var i = 0; i < clients; i++)
        {
            _acked[i] = new SequenceSet();
            _received[i] = [];
        }
    }

    /// <summary>
    /// Whether every send was acked and as many deliveries came as the acks promised. Deliveries of
    /// failed sends count in the total too, so once one failed the total says nothing and this stays false.
    /// </summary>
    public bool AllExpectedDelivered =>
        Interlocked.Read(ref _ackedCount) == Interlocked.Read(ref _sent) && Interlocked.Read(ref _unique) >= Interlocked.Read(ref _expected);

    public void Connected(long microseconds)
    {
        Interlocked.Increment(ref _connected);
        _connect.Record(microseconds);
    }

    public void ConnectFailed(string code)
    {
        Interlocked.Increment(ref _connectFailed);
        _errors.AddOrUpdate($"connect:{code}", 1, (_, count) => count + 1);
    }

    public void Sending() => Interlocked.Increment(ref _sent);

    /// <summary>A sender fell so far behind its schedule that it let <paramref name="sends"/> sends go.</summary>
    public void Skipped(long sends) => Interlocked.Add(ref _skipped, sends);

    public void Acked(int sender, long sequence, int recipients, long latencyMicroseconds)
    {
        Interlocked.Increment(ref _ackedCount);
        Interlocked.Add(ref _expected, recipients);
        _ack.Record(latencyMicroseconds);
        var acked = _acked[sender];
        lock (acked)
        {
            acked.Add(sequence);
        }
    }

    /// <summary>A call (a send, or a join in room mode) failed with <paramref name="code"/>.</summary>
    public void Failed(string code) => _errors.AddOrUpdate(code, 1, (_, count) => count + 1);

    /// <summary>Records that <paramref name="receiver"/> read message <paramref name="sequence"/> of <paramref name="sender"/>; false for a duplicate.</summary>
    public bool Delivered(int receiver, int sender, long sequence, long latencyMicroseconds, long nowMicroseconds)
    {
        var fromSender = _received[receiver];
        if (!fromSender.TryGetValue(sender, out var sequences))
        {
            fromSender[sender] = sequences = new SequenceSet();
        }

        if (!sequences.Add(sequence))
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }

        Interlocked.Increment(ref _unique);
        _delivery.Record(latencyMicroseconds);
        InterlockedMax(ref _lastDeliveryUs, nowMicroseconds);
        return true;
    }

    public void Foreign() => Interlocked.Increment(ref _foreign);

    public void Disconnected() => Interlocked.Increment(ref _disconnects);

    /// <param name="header">The run's settings, as the summary repeats them; the counts are filled in here.</param>
    /// <param name="connectSeconds">How long connecting (and joining) took.</param>
    /// <param name="sendStartUs">When sending started.</param>
    /// <param name="sendEndUs">When the last send was made.</param>
    /// <param name="interrupted">Whether the run was stopped early.</param>
    public LoadSummary Summarize(RunHeader header, double connectSeconds, long sendStartUs, long sendEndUs, bool interrupted)
    {
        long received = 0;
        for (var receiver = 0; receiver < _received.Length; receiver++)
        {
            foreach (var (sender, sequences) in _received[receiver])
            {
                received += sequences.CountCommon(_acked[sender]);
            }
        }

        var sent = Interlocked.Read(ref _sent);
        var unique = Interlocked.Read(ref _unique);
        var sendSeconds = Math.Max(0, sendEndUs - sendStartUs) / 1e6;
        var deliverySeconds = Math.Max(0, Interlocked.Read(ref _lastDeliveryUs) - sendStartUs) / 1e6;
        return new LoadSummary
        {
            Mode = header.Mode,
            Clients = header.Clients,
            Gateways = header.Gateways,
            Rate = header.Rate,
            Room = header.Room,
            Connected = (int)Interlocked.Read(ref _connected),
            ConnectFailed = (int)Interlocked.Read(ref _connectFailed),
            ConnectSeconds = Math.Round(connectSeconds, 3),
            ConnectMs = _connect.Snapshot(),
            Sent = sent,
            Skipped = Interlocked.Read(ref _skipped),
            Acked = Interlocked.Read(ref _ackedCount),
            Errors = new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
            Expected = Interlocked.Read(ref _expected),
            Received = received,
            Duplicates = Interlocked.Read(ref _duplicates),
            UnackedDelivered = unique - received,
            Foreign = Interlocked.Read(ref _foreign),
            Disconnects = Interlocked.Read(ref _disconnects),
            SendSeconds = Math.Round(sendSeconds, 3),
            SentPerSecond = sendSeconds > 0 ? Math.Round(sent / sendSeconds, 1) : 0,
            DeliveredPerSecond = deliverySeconds > 0 ? Math.Round(unique / deliverySeconds, 1) : 0,
            AckMs = _ack.Snapshot(),
            DeliveryMs = _delivery.Snapshot(),
            Interrupted = interrupted,
        };
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
