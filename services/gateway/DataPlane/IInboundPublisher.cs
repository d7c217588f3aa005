namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Hands inbound messages to the routers. At most once: a message is published again only while
/// no router has received it (no subscriber on its shard), never after one has.
/// </summary>
internal interface IInboundPublisher
{
    /// <summary>Publishes an encoded <see cref="Contracts.DataPlane.InboundMessage"/> on its shard.</summary>
    /// <returns>True once a router received it; false if none did within the retry budget.</returns>
    /// <exception cref="StackExchange.Redis.RedisException">Redis is unreachable.</exception>
    Task<bool> PublishAsync(int shard, byte[] payload, CancellationToken cancellationToken);
}
