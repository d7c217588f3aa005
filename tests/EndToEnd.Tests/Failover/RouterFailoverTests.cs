using ChatPlatform.Contracts;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Failover;

[Collection(DisruptionCollection.Name)]
public sealed class RouterFailoverTests(DisruptionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Shards = ChatStackFixture.ShardCount;

    /// <summary>Router:LeaseRenewInterval: a stopping router releases its leases; the survivor takes them on its next round.</summary>
    private static readonly TimeSpan GracefulBound = TimeSpan.FromSeconds(1);

    /// <summary>Router:LeaseTtl + Router:LeaseRenewInterval: a killed router's leases lapse, then the survivor takes them.</summary>
    private static readonly TimeSpan CrashBound = TimeSpan.FromSeconds(6);

    /// <summary>Allowance for a loaded test machine on top of the bounds above.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private ChatStack Stack => fixture.Stack;

    public async Task InitializeAsync() => await WaitForEvenSplitAsync();

    public async Task DisposeAsync()
    {
        foreach (var router in Stack.Routers.Where(router => !router.IsRunning))
        {
            router.Start();
            await router.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }

        await WaitForEvenSplitAsync();
    }

    [Fact]
    public async Task The_routers_split_the_shards_evenly()
    {
        var owners = await Testing.Registry.ShardOwnersAsync(fixture.Redis, Shards);

        Assert.Equal(Shards / 2, owners.Count(owner => owner == "router-1"));
        Assert.Equal(Shards / 2, owners.Count(owner => owner == "router-2"));
    }

    /// <summary>
    /// A killed router takes with it the messages it had received but not yet routed; their
    /// senders hear "unavailable … may not have been delivered". Sending one message every
    /// 60 ms, that is one or two.
    /// </summary>
    private const int InFlightAtCrash = 5;

    [Fact]
    public async Task A_stopped_routers_share_moves_to_the_other_and_nothing_is_lost_or_repeated()
    {
        await AssertShareMovesAsync(() => Stack.Routers[0].StopAsync(TimeSpan.FromSeconds(30)), GracefulBound + Slack, allowedUnconfirmed: 0);
    }

    [Fact]
    public async Task A_killed_routers_share_moves_to_the_other_within_the_lease_bound_and_nothing_acked_is_lost()
    {
        await AssertShareMovesAsync(() => Stack.Routers[0].KillAsync(), CrashBound + Slack, allowedUnconfirmed: InFlightAtCrash);
    }

    private async Task AssertShareMovesAsync(Func<Task> stopRouter, TimeSpan bound, int allowedUnconfirmed)
    {
        var owners = await Testing.Registry.ShardOwnersAsync(fixture.Redis, Shards);
        var movingShards = Enumerable.Range(0, Shards).Where(shard => owners[shard] == "router-1").ToHashSet();

        // Alice sends on a shard of the router that goes away, steadily, while it goes.
        await using var alice = await ConnectOnShardAsync(movingShards);
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        // About 16 a second: within the default rate limit this stack runs with.
        var sending = SendSteadilyAsync(alice, bob.User, TimeSpan.FromMilliseconds(60));
        await Task.Delay(500);
        await stopRouter();
        var moved = await Eventually.HoldsAsync(
            async () => (await Testing.Registry.ShardOwnersAsync(fixture.Redis, Shards)).All(owner => owner == "router-2"),
            bound,
            "router-2 owns every shard");
        output.WriteLine($"share moved after {moved.TotalMilliseconds:0} ms");

        var sent = await sending;
        var acked = new List<int>();
        var unconfirmed = new List<int>();
        foreach (var i in Enumerable.Range(0, sent))
        {
            var reply = await alice.ReplyToAsync($"s{i}", TimeSpan.FromSeconds(20));
            if (reply.GetProperty("type").GetString() == "ack")
            {
                acked.Add(i);
            }
            else
            {
                Assert.Equal("unavailable", reply.GetProperty("code").GetString());
                Assert.EndsWith("may not have been delivered", reply.GetProperty("message").GetString());
                unconfirmed.Add(i);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var delivered = bob.Pending()
            .Where(frame => frame.GetProperty("type").GetString() == "message")
            .Select(frame => frame.GetProperty("body").GetInt32())
            .ToList();
        output.WriteLine($"{sent} sent, {acked.Count} acked, {unconfirmed.Count} unconfirmed ({string.Join(", ", unconfirmed)}), {delivered.Count} delivered");

        // At most once, in order, and every acked message arrived.
        Assert.Equal(delivered.Order(), delivered);
        Assert.Equal(delivered.Distinct().Count(), delivered.Count);
        Assert.Empty(acked.Except(delivered));
        Assert.Empty(delivered.Except(acked).Except(unconfirmed));
        Assert.InRange(unconfirmed.Count, 0, allowedUnconfirmed);

        // Every moved shard routes again.
        foreach (var shard in movingShards)
        {
            await using var probe = await ConnectOnShardAsync(new HashSet<int> { shard });
            var reply = await probe.SendAndWaitAsync(new { user = bob.User }, "probe");
            Assert.True(reply.GetProperty("type").GetString() == "ack", $"shard {shard}: {reply.GetRawText()}");
        }
    }

    /// <summary>Connects to gateway-1 until the server-assigned id hashes to one of <paramref name="shards"/>.</summary>
    private async Task<TestClient> ConnectOnShardAsync(IReadOnlySet<int> shards)
    {
        while (true)
        {
            var client = await Stack.ConnectAsync(0, Names.Unique("alice"));
            if (shards.Contains(InboundShards.Of(client.ConnectionId, Shards)))
            {
                return client;
            }

            await client.DisposeAsync();
        }
    }

    private async Task<int> SendSteadilyAsync(TestClient alice, string to, TimeSpan interval)
    {
        var sent = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < until)
        {
            await alice.SendAsync(new { type = "send", id = $"s{sent}", to = new { user = to }, body = sent });
            sent++;
            await Task.Delay(interval);
        }

        return sent;
    }

    private async Task WaitForEvenSplitAsync() =>
        await Eventually.HoldsAsync(
            async () =>
            {
                var owners = await Testing.Registry.ShardOwnersAsync(fixture.Redis, Shards);
                return owners.Count(owner => owner == "router-1") == Shards / 2 && owners.Count(owner => owner == "router-2") == Shards / 2;
            },
            TimeSpan.FromSeconds(30),
            "the two routers split the shards evenly");
}
