using ChatPlatform.Router.History;

namespace ChatPlatform.Router.Routing;

/// <summary>
/// Publishes what a router sends to gateways, on each gateway's own channel: deliveries, and the
/// answers to the sender's gateway (outcomes and presence answers).
/// <list type="bullet">
/// <item>At most once: nothing is published again, by this or by the caller. A publish that
/// failed or timed out may still have reached the gateway, so a caller never reads a failure as
/// "not delivered".</item>
/// <item>Ordered per call site: the publishes one thread issues reach each gateway's channel in
/// the order they were issued (one connection, pipelined), whether or not the caller waits for
/// them, so a shard's deliveries leave in the order its messages arrived.</item>
/// </list>
/// </summary>
internal interface IDeliveryPublisher
{
    /// <summary>Publishes a delivery; issued before this returns, completed when Redis answers.</summary>
    /// <returns>
    /// How many subscribers received it. 0 means no gateway was subscribed at that moment (it is
    /// gone, or its subscription connection is down): nobody got it, and the registry forgets a
    /// gone gateway soon.
    /// </returns>
    /// <exception cref="StackExchange.Redis.RedisException">From the task: the publish failed or timed out; it may still have arrived.</exception>
    /// <exception cref="TimeoutException">From the task: as above.</exception>
    Task<long> PublishAsync(string gatewayId, byte[] payload);

    /// <summary>
    /// Appends a delivery to its history stream and publishes it to each gateway, in one atomic
    /// step (<see cref="AppendScript"/>): stored and published, or neither. Issued before this
    /// returns, completed when Redis answers; ordered with <see cref="PublishAsync"/>.
    /// </summary>
    /// <param name="prefix">The delivery up to its stream name (<see cref="Contracts.DataPlane.DataPlaneCodec.EncodeStoredPrefix"/>).</param>
    /// <param name="resumableUser">
    /// When no gateway holds the target user: store only if this user can still resume a
    /// session (<see cref="Contracts.RedisNames.Resumable"/>); otherwise null.
    /// </param>
    /// <returns>Where it was stored and what each publish reached, or null when it was not stored (no session to resume).</returns>
    /// <exception cref="StackExchange.Redis.RedisServerException">From the task: Redis refused the script (e.g. out of memory); nothing was stored or published.</exception>
    /// <exception cref="StackExchange.Redis.RedisException">From the task: it failed or timed out otherwise; it may still have run.</exception>
    /// <exception cref="TimeoutException">From the task: as above.</exception>
    Task<StoredPublish?> PublishStoredAsync(string stream, string? resumableUser, IReadOnlyList<string> gatewayIds, byte[] prefix);

    /// <summary>
    /// Publishes an answer without waiting for Redis (fire and forget): nobody learns whether it
    /// arrived. A gateway that gets no answer tells its client the outcome is unknown.
    /// </summary>
    /// <exception cref="StackExchange.Redis.RedisException">Redis cannot take it at all (it is unreachable).</exception>
    void Answer(string gatewayId, byte[] payload);
}
