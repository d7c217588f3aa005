namespace ChatPlatform.Load.Stats;

/// <summary>What a run did and what came back; docs/benchmarks.md says what each number means.</summary>
internal sealed record LoadSummary
{
    public required string Mode { get; init; }

    public required int Clients { get; init; }

    public required int Gateways { get; init; }

    /// <summary>Messages a second each client was asked to send.</summary>
    public required double Rate { get; init; }

    public string? Room { get; init; }

    public required int Connected { get; init; }

    public required int ConnectFailed { get; init; }

    /// <summary>From the first connect to the last client ready (connected, and in the room in room mode).</summary>
    public required double ConnectSeconds { get; init; }

    /// <summary>One client's connect, up to the gateway's welcome.</summary>
    public LatencyStats? ConnectMs { get; init; }

    public required long Sent { get; init; }

    /// <summary>Sends the schedule let go because a sender fell more than a second behind (this machine could not keep up).</summary>
    public required long Skipped { get; init; }

    public required long Acked { get; init; }

    /// <summary>Failed calls (sends, and joins in room mode) by error code.</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    /// <summary>The sum of the acks' recipients: deliveries the platform promised.</summary>
    public required long Expected { get; init; }

    /// <summary>Deliveries of acked messages, each counted once.</summary>
    public required long Received { get; init; }

    /// <summary>Expected deliveries that did not arrive by the end of the drain.</summary>
    public long Lost => Math.Max(0, Expected - Received);

    /// <summary>Deliveries of a message a client had already received.</summary>
    public required long Duplicates { get; init; }

    /// <summary>Deliveries of messages whose send failed (e.g. a timeout after the gateway had routed it).</summary>
    public required long UnackedDelivered { get; init; }

    /// <summary>Messages that were not this run's (another run, another client in the room); not counted otherwise.</summary>
    public required long Foreign { get; init; }

    /// <summary>Connections lost during the run (each client reconnects by itself).</summary>
    public required long Disconnects { get; init; }

    /// <summary>From the start of sending to the last send.</summary>
    public required double SendSeconds { get; init; }

    public required double SentPerSecond { get; init; }

    /// <summary>Deliveries (acked or not, without duplicates) a second, from the start of sending to the last delivery.</summary>
    public required double DeliveredPerSecond { get; init; }

    /// <summary>From just before a send to its ack.</summary>
    public LatencyStats? AckMs { get; init; }

    /// <summary>From just before a send to a receiving client reading the message.</summary>
    public LatencyStats? DeliveryMs { get; init; }

    /// <summary>Stopped early by Ctrl-C or SIGTERM.</summary>
    public required bool Interrupted { get; init; }

    /// <summary>Every client connected, every call succeeded, every expected delivery arrived once.</summary>
    public bool IsClean => ConnectFailed == 0 && Errors.Count == 0 && Lost == 0 && Duplicates == 0 && Acked == Sent;
}
