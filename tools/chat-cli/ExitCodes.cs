namespace ChatPlatform.Cli;

/// <summary>The exit codes of <c>chat</c> (docs/clients.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments, as System.CommandLine reports them too.</summary>
    public const int Usage = 1;

    /// <summary>No gateway welcomed the connection.</summary>
    public const int ConnectFailed = 2;

    /// <summary>The connection was lost and the client stopped reconnecting.</summary>
    public const int ConnectionLost = 3;
}
