namespace ChatPlatform.Router.Sharding;

/// <summary>
/// Told by <see cref="ShardLeaseManager"/> when this router starts and stops holding a shard, so
/// that whoever takes the shard's messages (routing) follows the leases without the lease manager
/// knowing what it does with them. The handover guarantees rest on the order of the calls:
/// <see cref="AcquiredAsync"/> only after the lease is held and <see cref="ShardOwnership"/>
/// extended; <see cref="ReleasingAsync"/> before the lease is released, and its task completes
/// only once the messages that arrived before it have been handled.
/// </summary>
internal interface IShardLeaseListener
{
    /// <summary>This router holds the shard's lease: start taking its messages. Called once per holding.</summary>
    Task AcquiredAsync(int shard);

    /// <summary>
    /// The lease is about to be released, or was lost: stop taking the shard's messages. Completes
    /// once every message that arrived before the call has been handled, or dropped as no longer
    /// owned when the lease was lost first.
    /// </summary>
    Task ReleasingAsync(int shard);
}
