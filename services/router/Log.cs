namespace ChatPlatform.Router;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Debug, "Dropped a message on shard {Shard}: this router does not own it")]
    public static partial void DroppedNotOwner(ILogger logger, int shard);

    [LoggerMessage(2002, LogLevel.Warning, "Dropped a malformed message on shard {Shard}")]
    public static partial void MalformedInbound(ILogger logger, int shard, Exception exception);

    [LoggerMessage(2003, LogLevel.Error, "Routing a message on shard {Shard} failed")]
    public static partial void RouteFailed(ILogger logger, int shard, Exception exception);

    [LoggerMessage(2004, LogLevel.Warning, "Publishing message {MessageId} to gateway {GatewayId} failed")]
    public static partial void DeliveryPublishFailed(ILogger logger, string messageId, string gatewayId, Exception exception);

    [LoggerMessage(2005, LogLevel.Warning, "Publishing the answer to {RequestId} failed")]
    public static partial void OutcomePublishFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(2006, LogLevel.Error, "Redis refused to store message {MessageId}; it was not sent")]
    public static partial void HistoryWriteFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(2007, LogLevel.Warning, "Storing and publishing message {MessageId} failed; it may have been sent")]
    public static partial void HistoryWriteUnknown(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(2010, LogLevel.Information, "Acquired shard {Shard}")]
    public static partial void ShardAcquired(ILogger logger, int shard);

    [LoggerMessage(2011, LogLevel.Information, "Released shard {Shard}")]
    public static partial void ShardReleased(ILogger logger, int shard);

    [LoggerMessage(2012, LogLevel.Warning, "Lost shard {Shard} to '{Owner}'")]
    public static partial void ShardLost(ILogger logger, int shard, string owner);

    [LoggerMessage(2013, LogLevel.Warning, "Lease round failed; retrying")]
    public static partial void LeaseRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(2014, LogLevel.Critical, "This router runs with {ShardCount} shards but {Conflict}; it takes no shard until they agree")]
    public static partial void ShardCountConflict(ILogger logger, int shardCount, string conflict);

    [LoggerMessage(2015, LogLevel.Information, "Router {RouterId} released its shards")]
    public static partial void LeasesReleased(ILogger logger, string routerId);

    [LoggerMessage(2016, LogLevel.Warning, "Releasing shard leases failed; they lapse by themselves")]
    public static partial void LeaseReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(2017, LogLevel.Warning, "The Redis connection was interrupted ({FailureType}); shards are suspended until a lease round confirms them")]
    public static partial void ShardsSuspended(ILogger logger, string failureType);

    [LoggerMessage(2020, LogLevel.Information, "Loaded the registry: {Connections} connections of {Users} users, {Rooms} rooms")]
    public static partial void RegistryLoaded(ILogger logger, int connections, int users, int rooms);

    [LoggerMessage(2021, LogLevel.Warning, "Loading the registry failed; retrying")]
    public static partial void RegistryLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(2022, LogLevel.Warning, "Registry changes were missed before change {Sequence}; reloading")]
    public static partial void RegistryChangesMissed(ILogger logger, long sequence);

    [LoggerMessage(2023, LogLevel.Warning, "Ignored a malformed registry change; reloading")]
    public static partial void MalformedRegistryChange(ILogger logger, Exception exception);
}
