namespace ChatPlatform.Load;

/// <summary>The exit codes of <c>chat-load</c> (docs/benchmarks.md).</summary>
internal static class ExitCodes
{
    /// <summary>Every send was acked and every expected delivery arrived, without duplicates.</summary>
    public const int Ok = 0;

    /// <summary>The run finished, but some sends failed, or deliveries were lost or duplicated.</summary>
    public const int Degraded = 1;

    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>No client could connect (the stack is not reachable, or refused every client), or only one did in direct mode.</summary>
    public const int Unreachable = 3;

    /// <summary>Stopped by Ctrl-C or SIGTERM; the summary covers the part that ran.</summary>
    public const int Interrupted = 130;
}
