using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Presence.Registry;
using ChatPlatform.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;
using RegistryContents = ChatPlatform.Testing.Registry;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// The registry keeps working when Redis restarts with empty data (it runs without persistence):
/// the connection reconnects, the scripts are loaded again, and the change sequence starts over,
/// which routers read as a gap and answer with a reload. Restarts a Redis of its own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_registry_works_again_after_Redis_restarts_with_empty_data()
    {
        await using var redis = await RedisServer.StartAsync($"{Names.Unique("restart")}-redis");
        using var presence = await redis.ConnectAsync();
        var registry = new RedisConnectionRegistry(presence);
        await using var changes = await ChangeRecorder.StartAsync(redis.ConnectionString);
        var gateway = Names.Unique("gw");
        var instance = Guid.CreateVersion7().ToString("N");

        // Twice, so the client has the scripts cached by hash when Redis loses them.
        Assert.Equal(RegistrationResult.Registered, await registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "a", 1), Ttl));
        Assert.Equal(RegistrationResult.Registered, await registry.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "b", 1), Ttl));

        await redis.KillAsync();
        await redis.StartAsync();

        // Pub/sub keeps nothing for a subscriber that is away: wait until the subscription is
        // back (as a router waits for its reconnect) before making the change to look for.
        var resubscribed = await Eventually.HoldsAsync(
            () => changes.TrySyncAsync(TimeSpan.FromMilliseconds(500)),
            TimeSpan.FromSeconds(30),
            "the change subscription is live again");
        output.WriteLine($"Change subscription live again {resubscribed.TotalSeconds:F2} s after Redis listened again");
        var connection = Names.Unique("conn");
        var mark = await changes.MarkAsync();
        RegistrationResult? result = null;
        var attempts = 0;
        var took = await Eventually.HoldsAsync(
            async () =>
            {
                attempts++;
                try
                {
                    result = await registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, "c", 1), Ttl);
                    return true;
                }
                catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "a registration succeeds after Redis restarted");
        output.WriteLine($"Registered {took.TotalSeconds:F2} s later ({attempts} attempt(s))");

        Assert.Equal(RegistrationResult.Registered, result);
        Assert.Equal(1, await RegistryContents.CountAsync(presence, gateway));
        Assert.Equal(1, (long)await presence.GetDatabase().StringGetAsync(RedisNames.RegistrySequence));

        // The subscriber is back too (the client resubscribes by itself) and sees the new change.
        var added = await changes.WaitForAsync(mark, change => change.ConnectionId == connection, TimeSpan.FromSeconds(10), "the change after the restart arrives");
        Assert.Equal(new RegistryChange(1, RegistryChangeKind.ConnectionAdded, gateway, connection, "c"), added);
    }
}
