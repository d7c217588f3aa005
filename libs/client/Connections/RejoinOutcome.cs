namespace ChatPlatform.Client.Connections;

/// <summary>How joining one room again on a new connection ended (<see cref="Rejoiner"/>).</summary>
internal abstract record RejoinOutcome
{
    private RejoinOutcome()
    {
    }

    /// <summary>The gateway acked the join.</summary>
    public sealed record Joined : RejoinOutcome
    {
        public static Joined Instance { get; } = new();
    }

    /// <summary>The gateway refused the room; it was dropped from the client's rooms.</summary>
    public sealed record Dropped : RejoinOutcome
    {
        public static Dropped Instance { get; } = new();
    }

    /// <summary>The attempt failed for a reason that says nothing about the room; the connection is given up.</summary>
    public sealed record Failed(string Error) : RejoinOutcome;
}
