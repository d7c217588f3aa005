using ChatPlatform.Contracts;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Presence.Registry;
using ChatPlatform.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// When a connection leaves the registry, however it went, its session becomes resumable for the
/// recovery window and its user is marked resumable, so direct messages to them are stored.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class SessionEndTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(1);

    private ConnectionMultiplexer _redis = null!;
    private RedisConnectionRegistry _registry = null!;

    private IDatabase Database => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        _redis = await servers.Redis.ConnectAsync();
        _registry = new RedisConnectionRegistry(_redis, Options.Create(new RecoveryOptions { Window = Window }));
    }

    public Task DisposeAsync()
    {
        _redis.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_closed_connections_session_and_user_stay_resumable_for_the_window()
    {
        var (gateway, instance, connection, user) = (Names.Unique("gw"), "0001", Names.Unique("conn"), Names.Unique("bob"));
        await Database.HashSetAsync(RedisNames.Session(connection), "~user", user);
        await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, user, 1), LongTtl);
        Assert.Null(await Database.KeyTimeToLiveAsync(RedisNames.Session(connection)));

        await _registry.RemoveAsync(new ConnectionClosed(gateway, instance, connection, user), LongTtl);

        await AssertResumableAsync(connection, user);
    }

    [Fact]
    public async Task A_dead_gateways_connections_become_resumable_when_their_memberships_are_purged()
    {
        var (gateway, instance, user) = (Names.Unique("gw"), "0001", Names.Unique("bob"));
        var connections = Enumerable.Range(0, 3).Select(_ => Names.Unique("conn")).ToList();
        foreach (var connection in connections)
        {
            await Database.HashSetAsync(RedisNames.Session(connection), "~user", user);
            await _registry.RegisterAsync(new RegisterConnection(gateway, instance, connection, user, 1), LongTtl);
        }

        Assert.True(await _registry.RemoveGatewayAsync(gateway, instance));
        for (var i = 0; i < 10 && await _registry.PurgeRetiredAsync(100) > 0; i++)
        {
        }

        foreach (var connection in connections)
        {
            await AssertResumableAsync(connection, user);
        }
    }

    private async Task AssertResumableAsync(string connection, string user)
    {
        var session = await Database.KeyTimeToLiveAsync(RedisNames.Session(connection));
        var marker = await Database.KeyTimeToLiveAsync(RedisNames.Resumable(user));
        Assert.InRange(session!.Value, Window - TimeSpan.FromSeconds(10), Window);
        Assert.InRange(marker!.Value, Window - TimeSpan.FromSeconds(10), Window);
    }
}
