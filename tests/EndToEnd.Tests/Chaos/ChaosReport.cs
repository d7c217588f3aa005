namespace ChatPlatform.EndToEnd.Tests.Chaos;

/// <summary>What became of every message of a chaos run.</summary>
internal sealed class ChaosReport
{
    public int Sent { get; private init; }

    public int Acked { get; private init; }

    public int AckedAndDelivered { get; private init; }

    public Dictionary<string, int> Outcomes { get; private init; } = [];

    /// <summary>Acked while the recipient's connection was open and stayed open, yet never arrived: must be none.</summary>
    public List<ChaosClient.Sent> LostToConnectedRecipients { get; } = [];

    /// <summary>Acked, but the recipient's connection dropped (its gateway went) between the send and the delivery.</summary>
    public List<ChaosClient.Sent> LostToDisconnectedRecipients { get; } = [];

    /// <summary>Arrived more than once: must be none.</summary>
    public List<ChaosClient.Sent> Duplicated { get; } = [];

    /// <summary>Answered offline or "not sent", yet arrived: must be none.</summary>
    public List<ChaosClient.Sent> DeliveredAfterNotSent { get; } = [];

    /// <summary>Answered "may not have been delivered", or not answered before the sender's connection dropped, and arrived.</summary>
    public int UnconfirmedButDelivered { get; private init; }

    public static ChaosReport Of(IReadOnlyList<ChaosClient> clients, TimeSpan deliveryWindow)
    {
        var byUser = clients.ToDictionary(client => client.User);
        var messages = clients.SelectMany(client => client.Answered).ToList();
        int Arrivals(ChaosClient.Sent sent) => byUser[sent.To].Received.GetValueOrDefault((sent.From, sent.Number));

        var report = new ChaosReport
        {
            Sent = messages.Count,
            Acked = messages.Count(sent => sent.Outcome.StartsWith("ack", StringComparison.Ordinal)),
            AckedAndDelivered = messages.Count(sent => sent.Outcome.StartsWith("ack", StringComparison.Ordinal) && Arrivals(sent) > 0),
            Outcomes = messages.GroupBy(sent => sent.Outcome.StartsWith("ack", StringComparison.Ordinal) ? "ack" : sent.Outcome).ToDictionary(group => group.Key, group => group.Count()),
            UnconfirmedButDelivered = messages.Count(sent => sent.Outcome is "unavailable:unknown" or "unanswered" && Arrivals(sent) > 0),
        };

        foreach (var sent in messages)
        {
            var arrivals = Arrivals(sent);
            if (arrivals > 1)
            {
                report.Duplicated.Add(sent);
            }

            if (sent.Outcome is "offline" or "unavailable:not sent" && arrivals > 0)
            {
                report.DeliveredAfterNotSent.Add(sent);
            }

            if (sent.Outcome.StartsWith("ack", StringComparison.Ordinal) && arrivals == 0)
            {
                // Connected: the recipient had a connection when the message was sent, and that same
                // connection stayed open until the delivery window after the ack had passed. (One
                // that closed while the message was routed may have been the one routed to.)
                var connection = byUser[sent.To].ConnectionAt(sent.SentAt);
                var connected = connection is not null && (connection.ClosedAt is null || connection.ClosedAt >= sent.AnsweredAt + deliveryWindow);
                (connected ? report.LostToConnectedRecipients : report.LostToDisconnectedRecipients).Add(sent);
            }
        }

        return report;
    }

    public IEnumerable<string> Lines()
    {
        yield return $"messages sent:                          {Sent}";
        yield return $"acked:                                  {Acked}";
        yield return $"  delivered:                            {AckedAndDelivered}";
        yield return $"  lost to a connected recipient:        {LostToConnectedRecipients.Count}  (must be 0)";
        yield return $"  lost to a recipient that dropped:     {LostToDisconnectedRecipients.Count}";
        foreach (var (outcome, count) in Outcomes.Where(pair => pair.Key != "ack").OrderBy(pair => pair.Key))
        {
            yield return $"answered {outcome}: {count}";
        }

        yield return $"unconfirmed but delivered:              {UnconfirmedButDelivered}";
        yield return $"duplicated:                             {Duplicated.Count}  (must be 0)";
        yield return $"delivered after 'offline'/'not sent':   {DeliveredAfterNotSent.Count}  (must be 0)";
        foreach (var sent in LostToConnectedRecipients.Take(10))
        {
            yield return $"  lost: {sent.From} -> {sent.To} #{sent.Number} acked {sent.AnsweredAt:HH:mm:ss.fff}";
        }
    }
}
