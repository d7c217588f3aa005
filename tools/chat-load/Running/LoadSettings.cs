namespace ChatPlatform.Load.Running;

/// <summary>One run, as the command line asked for it, checked.</summary>
internal sealed record LoadSettings
{
    public required IReadOnlyList<Uri> Urls { get; init; }

    public required int Clients { get; init; }

    /// <summary>Client <c>i</c> (from 1) is the user <c>{UserPrefix}-{i}</c>.</summary>
    public required string UserPrefix { get; init; }

    /// <summary>Mint tokens for the users; development users (<c>?user=</c>) when null.</summary>
    public TokenSettings? Tokens { get; init; }

    public required LoadMode Mode { get; init; }

    public required string Room { get; init; }

    /// <summary>Messages a second each client sends.</summary>
    public required double Rate { get; init; }

    /// <summary>How long the clients send.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>At most this many messages in all; unbounded (but for <see cref="Duration"/>) when null.</summary>
    public long? Messages { get; init; }

    /// <summary>How long to wait after the last ack for deliveries still on their way.</summary>
    public required TimeSpan Drain { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Clients connecting (or joining) at the same time.</summary>
    public required int ConnectParallelism { get; init; }

    /// <summary>Marks this run's message bodies, so messages from anyone else are told apart.</summary>
    public required string RunId { get; init; }

    public string UserName(int index) => $"{UserPrefix}-{index + 1}";
}
