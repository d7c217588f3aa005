namespace ChatPlatform.Gateway;

internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Debug, "Connection {ConnectionId} of {UserId} opened")]
    public static partial void Connected(ILogger logger, string connectionId, string userId);

    [LoggerMessage(4002, LogLevel.Debug, "Connection {ConnectionId} closed ({CloseCode})")]
    public static partial void Disconnected(ILogger logger, string connectionId, string closeCode);

    [LoggerMessage(4003, LogLevel.Warning, "Could not register connection {ConnectionId}; refused the upgrade")]
    public static partial void RegistrationFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4004, LogLevel.Error, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4005, LogLevel.Error, "Handling a frame on connection {ConnectionId} failed")]
    public static partial void FrameFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4006, LogLevel.Information, "Shutting down: closing {Count} connections")]
    public static partial void ClosingConnections(ILogger logger, int count);

    [LoggerMessage(4007, LogLevel.Information, "Refused an upgrade: {Reason}")]
    public static partial void AuthenticationRefused(ILogger logger, string reason);

    [LoggerMessage(4008, LogLevel.Information, "Refused an upgrade from origin {Origin}")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(4010, LogLevel.Warning, "Publishing message {MessageId} failed: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(4011, LogLevel.Warning, "Ignored a payload of unknown kind {Kind} on the gateway channel")]
    public static partial void UnexpectedPayload(ILogger logger, byte kind);

    [LoggerMessage(4012, LogLevel.Error, "Handling a payload from the gateway channel failed")]
    public static partial void PayloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(4020, LogLevel.Warning, "Reporting connection {ConnectionId} closed failed; retrying")]
    public static partial void ReportClosedFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4023, LogLevel.Warning, "Reported {Connections} connections to presence ({Reason}): {Added} added, {Removed} removed")]
    public static partial void Synced(ILogger logger, string reason, int connections, int added, int removed);

    [LoggerMessage(4024, LogLevel.Warning, "Reporting this gateway's connections to presence failed: {Reason}; retrying")]
    public static partial void SyncFailed(ILogger logger, string reason);

    [LoggerMessage(4021, LogLevel.Warning, "Heartbeat not sent: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(4022, LogLevel.Warning, "Could not report the gateway stopped; presence removes its connections when the heartbeat lease expires")]
    public static partial void StoppedNotReported(ILogger logger, Exception exception);

    [LoggerMessage(4030, LogLevel.Warning, "Could not fetch signing keys from {Address}: {Reason} (failed attempts: {Failures}). No keys yet, so every token is refused; next attempt in {RetryDelay} at the earliest")]
    public static partial void KeysUnavailable(ILogger logger, string address, string reason, int failures, TimeSpan retryDelay);

    [LoggerMessage(4031, LogLevel.Warning, "Could not fetch signing keys from {Address}: {Reason} (failed attempts: {Failures}). The keys fetched before stay in use ({KeyCount}); next attempt in {RetryDelay} at the earliest")]
    public static partial void KeyRefreshFailed(ILogger logger, string address, string reason, int failures, int keyCount, TimeSpan retryDelay);

    [LoggerMessage(4032, LogLevel.Information, "Fetched the signing keys from {Address}: {KeyIds} ({KeyCount} in all)")]
    public static partial void KeysFetched(ILogger logger, string address, string keyIds, int keyCount);

    [LoggerMessage(4033, LogLevel.Information, "Fetching signing keys from {Address} works again (failed attempts before: {Failures})")]
    public static partial void KeyFetchRecovered(ILogger logger, string address, int failures);

    [LoggerMessage(4040, LogLevel.Warning, "Updating the session of connection {ConnectionId} failed; a resume may restore a room it left")]
    public static partial void SessionUpdateFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4041, LogLevel.Warning, "Recovering connection {ConnectionId} failed part way; it is told the recovery is incomplete")]
    public static partial void RecoveryFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4042, LogLevel.Information, "Connection {ConnectionId} resumed {OldConnectionId}: {Rooms} rooms, {Messages} messages, complete: {Complete}")]
    public static partial void Resumed(ILogger logger, string connectionId, string oldConnectionId, int rooms, int messages, bool complete);

    [LoggerMessage(4043, LogLevel.Information, "Connection {ConnectionId} asked to resume a session that is unknown, expired or another user's")]
    public static partial void ResumeRefused(ILogger logger, string connectionId);

    [LoggerMessage(4050, LogLevel.Information, "A backend's {Action} reached connection {ConnectionId}")]
    public static partial void Moderated(ILogger logger, string connectionId, string action);

    [LoggerMessage(4051, LogLevel.Warning, "Presence did not confirm a backend's removal of connection {ConnectionId} from a room; resyncing the registry")]
    public static partial void RemovalUnconfirmed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4052, LogLevel.Debug, "Refused a server API request: {Reason}")]
    public static partial void ApiRefused(ILogger logger, string reason);

    [LoggerMessage(4053, LogLevel.Warning, "The server API is on port {Port}, but no key is configured (Api:Keys): every request to it is refused")]
    public static partial void ApiWithoutKeys(ILogger logger, int port);

    [LoggerMessage(4054, LogLevel.Warning, "The server API is on port {Port}, which is not among the addresses the gateway listens on ({Addresses}): add it to ASPNETCORE_HTTP_PORTS or --urls")]
    public static partial void ApiPortNotListened(ILogger logger, int port, string addresses);

    [LoggerMessage(4055, LogLevel.Warning, "Remembering idempotency key of API key {KeyName} failed")]
    public static partial void IdempotencyFailed(ILogger logger, string keyName, Exception exception);

    [LoggerMessage(4044, LogLevel.Warning, "Reading history for connection {ConnectionId} failed")]
    public static partial void HistoryReadFailed(ILogger logger, string connectionId, Exception exception);
}
