namespace ChatPlatform.EndToEnd.Tests.Chaos;

/// <summary>What became of every message of a chaos run, and of every resume.</summary>
internal sealed class ChaosReport
{
    /// <summary>How long a session can be resumed after its connection ended (<c>Recovery:Window</c>).</summary>
    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromSeconds(120);

    public int Sent { get; private init; }

    public int Acked { get; private init; }

    public int AckedAndDelivered { get; private init; }

    /// <summary>Acked <c>"recipients":0,"stored":true</c>: the recipient had no live connection but could still resume.</summary>
    public int StoredForLater { get; private init; }

    public int StoredForLaterAndDelivered { get; private init; }

    /// <summary>Message frames with <c>"recovered":true</c>, over all users.</summary>
    public int Recovered { get; private init; }

    public int ResumesComplete { get; private init; }

    public int ResumesIncomplete { get; private init; }

    /// <summary>Resuming connections that closed before their <c>recovered</c> frame came (the next one resumed again).</summary>
    public int ResumesCutShort { get; private init; }

    public Dictionary<string, int> Outcomes { get; private init; } = [];

    /// <summary>
    /// Acked, never arrived, and the recipient must have got it: its connection stayed open from the
    /// send until the delivery window after the ack, or it dropped and its next resume came back
    /// <c>complete:true</c>. Must be none.
    /// </summary>
    public List<Loss> LostToConnectedOrResumed { get; } = [];

    /// <summary>Acked, never arrived; the recipient's next resume came back <c>complete:false</c> (history lost or trimmed).</summary>
    public List<Loss> LostToIncompleteResume { get; } = [];

    /// <summary>Acked, never arrived; the recipient's connection dropped and it did not resume before the run ended.</summary>
    public List<Loss> LostWithoutResume { get; } = [];

    /// <summary>Arrived at its recipient more than once (live and recovered, or recovered twice): must be none.</summary>
    public List<Duplicate> Duplicated { get; } = [];

    /// <summary>In one stream and one epoch, an offset at or below one already seen: must be none.</summary>
    public List<ChaosClient.OffsetFault> OffsetFaults { get; } = [];

    /// <summary>
    /// In one stream and one epoch, offsets skipped: stored messages the recipient never got (one
    /// acked is among the losses above; one answered "may not have been delivered" only here).
    /// </summary>
    public List<ChaosClient.OffsetFault> Gaps { get; } = [];

    /// <summary><c>recovered</c> frames whose <c>messages</c> is not the number of recovered messages before them: must be none.</summary>
    public List<(string User, ChaosClient.Connection Connection)> MiscountedRecoveries { get; } = [];

    /// <summary>Answered offline or "not sent", yet arrived: must be none.</summary>
    public List<ChaosClient.Sent> DeliveredAfterNotSent { get; } = [];

    /// <summary>Answered "may not have been delivered", or not answered before the sender's connection dropped, and arrived.</summary>
    public int UnconfirmedButDelivered { get; private init; }

    /// <summary>
    /// Answered offline while the recipient was between connections: one of theirs had closed less
    /// than the recovery window before, and they had none open.
    /// </summary>
    public int OfflineBetweenConnections { get; private init; }

    public static ChaosReport Of(IReadOnlyList<ChaosClient> clients, TimeSpan deliveryWindow)
    {
        var byUser = clients.ToDictionary(client => client.User);
        var messages = clients.SelectMany(client => client.Answered).ToList();
        var arrivals = clients.ToDictionary(
            client => client.User,
            client => client.Arrivals.ToLookup(arrival => (arrival.From, arrival.Number)));
        int Arrivals(ChaosClient.Sent sent) => arrivals[sent.To][(sent.From, sent.Number)].Count();
        var connections = clients.SelectMany(client => client.Connections).ToList();

        var report = new ChaosReport
        {
            Sent = messages.Count,
            Acked = messages.Count(sent => sent.Acked),
            AckedAndDelivered = messages.Count(sent => sent.Acked && Arrivals(sent) > 0),
            StoredForLater = messages.Count(sent => sent.StoredForLater),
            StoredForLaterAndDelivered = messages.Count(sent => sent.StoredForLater && Arrivals(sent) > 0),
            Recovered = clients.Sum(client => client.Arrivals.Count(arrival => arrival.Recovered)),
            ResumesComplete = connections.Count(connection => connection.Recovery is { Complete: true }),
            ResumesIncomplete = connections.Count(connection => connection.Recovery is { Complete: false }),
            ResumesCutShort = connections.Count(connection => connection.Resumed && connection.Recovery is null),
            Outcomes = messages.GroupBy(sent => sent.Acked ? "ack" : sent.Outcome).ToDictionary(group => group.Key, group => group.Count()),
            UnconfirmedButDelivered = messages.Count(sent => sent.Outcome is "unavailable:unknown" or "unanswered" && Arrivals(sent) > 0),
            OfflineBetweenConnections = messages.Count(sent => sent.Outcome == "offline" && BetweenConnections(byUser[sent.To], sent.SentAt)),
        };

        foreach (var client in clients)
        {
            // Per recipient, each message once: by the sender's number, so that one send arriving
            // under two message ids counts as well as one id arriving twice.
            foreach (var group in client.Arrivals.GroupBy(arrival => (arrival.From, arrival.Number)).Where(group => group.Count() > 1))
            {
                report.Duplicated.Add(new Duplicate(client.User, [.. group]));
            }

            report.OffsetFaults.AddRange(client.OffsetFaults);
            report.Gaps.AddRange(client.Gaps);
            report.MiscountedRecoveries.AddRange(client.Connections
                .Where(connection => connection.Recovery is { } recovery && recovery.Messages != recovery.Counted)
                .Select(connection => (client.User, connection)));
        }

        foreach (var sent in messages)
        {
            if (sent.Outcome is "offline" or "unavailable:not sent" && Arrivals(sent) > 0)
            {
                report.DeliveredAfterNotSent.Add(sent);
            }

            if (sent.Acked && Arrivals(sent) == 0)
            {
                report.Classify(sent, byUser[sent.To], deliveryWindow);
            }
        }

        return report;
    }

    private static bool BetweenConnections(ChaosClient recipient, DateTime at) =>
        recipient.ConnectionAt(at) is null
        && recipient.Connections.Any(connection => connection.ClosedAt is { } closed && closed < at && closed > at - RecoveryWindow);

    /// <summary>Which of the lists an acked message that never arrived belongs to.</summary>
    private void Classify(ChaosClient.Sent sent, ChaosClient recipient, TimeSpan deliveryWindow)
    {
        // Connected: the recipient had a connection when the message was sent, and that same
        // connection stayed open until the delivery window after the ack had passed.
        var connection = recipient.ConnectionAt(sent.SentAt);
        if (connection is not null && (connection.ClosedAt is null || connection.ClosedAt >= sent.AnsweredAt + deliveryWindow))
        {
            LostToConnectedOrResumed.Add(new Loss(sent, "stayed connected", connection));
            return;
        }

        // Otherwise its connection dropped (or it had none: a stored ack). The first resume after
        // the send that finished answers for it: everything stored after the resumed session's
        // start and after the last offset the client got is recovered, or, stored after the new
        // connection was registered, arrives live. (A resume that closed before its recovered
        // frame is resumed again by the next connection, from its own session.)
        var resume = recipient.Connections.FirstOrDefault(later => later.OpenedAt > sent.SentAt && later.Recovery is not null);
        if (resume is null)
        {
            LostWithoutResume.Add(new Loss(sent, "did not resume", connection));
        }
        else if (resume.Recovery!.Complete)
        {
            LostToConnectedOrResumed.Add(new Loss(sent, "resumed complete:true", resume));
        }
        else
        {
            LostToIncompleteResume.Add(new Loss(sent, "resumed complete:false", resume));
        }
    }

    public IEnumerable<string> Lines()
    {
        static string Line(string label, object value, string note = "") => $"{label + ":",-52} {value}{(note == "" ? "" : "  " + note)}";

        yield return Line("messages sent", Sent);
        yield return Line("acked", Acked);
        yield return Line("  stored with 0 recipients", StoredForLater, $"(delivered: {StoredForLaterAndDelivered})");
        yield return Line("  delivered", AckedAndDelivered);
        yield return Line("  lost to connected-or-resumed recipients", LostToConnectedOrResumed.Count, "(must be 0)");
        yield return Line("  lost to recipients whose resume was incomplete", LostToIncompleteResume.Count);
        yield return Line("  lost to recipients that did not resume", LostWithoutResume.Count);
        foreach (var (outcome, count) in Outcomes.Where(pair => pair.Key != "ack").OrderBy(pair => pair.Key))
        {
            yield return Line(outcome == "unanswered" ? "not answered before the sender's connection dropped" : $"answered {outcome}", count, outcome == "offline" ? $"(to a recipient between connections: {OfflineBetweenConnections})" : "");
        }

        yield return Line("unconfirmed but delivered", UnconfirmedButDelivered);
        yield return Line("recovered messages", Recovered);
        yield return Line("resumes complete:true", ResumesComplete);
        yield return Line("resumes complete:false", ResumesIncomplete);
        yield return Line("resumes cut short (closed before recovered)", ResumesCutShort);
        yield return Line("offsets skipped (stored, never arrived)", Gaps.Count);
        yield return Line("duplicated", Duplicated.Count, "(must be 0)");
        yield return Line("offsets repeated or going back in an epoch", OffsetFaults.Count, "(must be 0)");
        yield return Line("recovered frames miscounting their messages", MiscountedRecoveries.Count, "(must be 0)");
        yield return Line("delivered after 'offline'/'not sent'", DeliveredAfterNotSent.Count, "(must be 0)");
        foreach (var loss in LostToConnectedOrResumed.Take(10))
        {
            yield return $"  lost ({loss.Reason}): {Describe(loss.Message)}; {loss.Connection}";
        }

        foreach (var loss in LostToIncompleteResume.Concat(LostWithoutResume).Take(10))
        {
            yield return $"  excused ({loss.Reason}): {Describe(loss.Message)}; {loss.Connection?.ToString() ?? "no connection"}";
        }

        foreach (var duplicate in Duplicated.Take(10))
        {
            var arrivals = duplicate.Arrivals.Select(arrival =>
                $"{arrival.MessageId} {(arrival.Recovered ? "recovered" : "live")} {arrival.Stream}:{arrival.Offset} on {arrival.ConnectionId} at {arrival.At:HH:mm:ss.fff}");
            yield return $"  duplicated: {duplicate.Arrivals[0].From} -> {duplicate.User} #{duplicate.Arrivals[0].Number}: {string.Join("; ", arrivals)}";
        }

        foreach (var (kind, fault) in OffsetFaults.Take(10).Select(fault => ("offset fault", fault)).Concat(Gaps.Take(10).Select(gap => ("skipped", gap))))
        {
            var arrival = fault.Arrival;
            yield return $"  {kind}: {fault.User} {fault.Stream} got {fault.Offset} after {fault.Last}: {arrival.MessageId} ({arrival.From} #{arrival.Number}) {(arrival.Recovered ? "recovered" : "live")} on {arrival.ConnectionId} at {arrival.At:HH:mm:ss.fff}";
        }

        foreach (var (user, connection) in MiscountedRecoveries.Take(10))
        {
            yield return $"  miscounted: {user} {connection}, {connection.Recovery!.Counted} recovered messages came";
        }

        foreach (var sent in DeliveredAfterNotSent.Take(10))
        {
            yield return $"  delivered after {sent.Outcome}: {Describe(sent)}";
        }
    }

    /// <summary>Every message and every connection of the run, for looking into a failure.</summary>
    public static IEnumerable<string> Journal(IReadOnlyList<ChaosClient> clients)
    {
        var arrivals = clients.ToDictionary(client => client.User, client => client.Arrivals.ToLookup(arrival => (arrival.From, arrival.Number)));
        foreach (var client in clients)
        {
            foreach (var connection in client.Connections)
            {
                yield return $"connection {client.User} {connection}";
            }
        }

        foreach (var sent in clients.SelectMany(client => client.Answered).OrderBy(sent => sent.SentAt))
        {
            var got = arrivals[sent.To][(sent.From, sent.Number)].Select(arrival =>
                $"{(arrival.Recovered ? "recovered" : "live")} {arrival.Stream}:{arrival.Offset} on {arrival.ConnectionId} at {arrival.At:HH:mm:ss.fff}");
            yield return $"message {Describe(sent)} -> [{string.Join("; ", got)}]";
        }
    }

    private static string Describe(ChaosClient.Sent sent) =>
        $"{sent.From} -> {sent.To} #{sent.Number} {sent.MessageId} sent {sent.SentAt:HH:mm:ss.fff} answered {sent.Outcome}{(sent.Stored ? " stored" : "")} {sent.AnsweredAt:HH:mm:ss.fff}";

    /// <summary>An acked message that never arrived; <paramref name="Connection"/> is the recipient's connection that answers for it, if any.</summary>
    public sealed record Loss(ChaosClient.Sent Message, string Reason, ChaosClient.Connection? Connection);

    public sealed record Duplicate(string User, IReadOnlyList<ChaosClient.Arrival> Arrivals);
}
