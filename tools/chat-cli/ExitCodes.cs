namespace ChatPlatform.Cli;

/// <summary>The exit codes of <c>chat</c> (docs/clients.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments, as System.CommandLine reports them too.</summary>
    public const int Usage = 1;

    /// <summary>No gateway welcomed the connection; for <c>chat api</c>, the server API could not be reached.</summary>
    public const int ConnectFailed = 2;

    /// <summary>The connection was lost and the client stopped reconnecting.</summary>
    public const int ConnectionLost = 3;

    /// <summary><c>chat api</c>: the server API answered with an error, or not in time (the error is on stderr).</summary>
    public const int ApiError = 4;
}
