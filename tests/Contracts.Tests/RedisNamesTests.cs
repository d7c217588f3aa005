namespace ChatPlatform.Contracts.Tests;

/// <summary>Services of different versions meet on these names, so they are pinned here.</summary>
public sealed class RedisNamesTests
{
    [Fact]
    public void The_names_are_the_ones_deployed_services_use()
    {
        Assert.Equal("chat:in:7", RedisNames.InboundChannel(7));
        Assert.Equal("chat:gw:gw-1", RedisNames.GatewayChannel("gw-1"));
        Assert.Equal("chat:registry:changes", RedisNames.RegistryChanges);
        Assert.Equal("chat:registry:gateways", RedisNames.GatewayInstances);
        Assert.Equal("chat:registry:leases", RedisNames.GatewayLeases);
        Assert.Equal("chat:registry:gw:gw-1", RedisNames.GatewayConnections("gw-1"));
        Assert.Equal("chat:registry:seq", RedisNames.RegistrySequence);
        Assert.Equal("chat:registry:closed:c-1", RedisNames.ClosedConnection("c-1"));
        Assert.Equal("chat:router:shard:3", RedisNames.ShardLease(3));
        Assert.Equal("chat:router:members", RedisNames.Routers);
        Assert.Equal("chat:router:shard-count", RedisNames.ShardCount);
        Assert.Equal("chat:idempotency:billing:invoice-42", RedisNames.Idempotency("billing", "invoice-42"));
    }

    [Fact]
    public void Per_gateway_connection_hashes_share_the_prefix_the_scripts_build_them_from()
    {
        Assert.Equal(RedisNames.GatewayConnectionsPrefix + "gw-1", RedisNames.GatewayConnections("gw-1"));
    }

    [Fact]
    public void No_two_names_collide()
    {
        string[] names =
        [
            RedisNames.InboundChannel(0),
            RedisNames.GatewayChannel("x"),
            RedisNames.RegistryChanges,
            RedisNames.GatewayInstances,
            RedisNames.GatewayLeases,
            RedisNames.GatewayConnections("x"),
            RedisNames.RegistrySequence,
            RedisNames.ClosedConnection("x"),
            RedisNames.Idempotency("x", "x"),
            RedisNames.ShardLease(0),
            RedisNames.Routers,
            RedisNames.ShardCount,
        ];

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }
}
