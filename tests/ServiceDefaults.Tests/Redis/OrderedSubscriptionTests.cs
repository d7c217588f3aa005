using System.Collections.Concurrent;
using ChatPlatform.ServiceDefaults.Redis;
using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Tests.Redis;

public sealed class OrderedSubscriptionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Burst = 100_000;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_burst_from_one_publisher_is_handled_in_publish_order_one_message_at_a_time()
    {
        await using var publisher = await redis.Server.ConnectAsync();
        await using var subscriber = await redis.Server.ConnectAsync();
        var channel = RedisChannel.Literal(Names.Unique("ordered"));
        var received = new List<long>(Burst);
        var concurrent = 0;
        var overlapped = false;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await OrderedSubscription.SubscribeAsync(
            subscriber,
            channel,
            value =>
            {
                overlapped |= Interlocked.Increment(ref concurrent) > 1;
                received.Add((long)value);
                Interlocked.Decrement(ref concurrent);
                if (received.Count == Burst)
                {
                    all.TrySetResult();
                }
            },
            exception => all.TrySetException(exception));

        // Pipelined, not awaited one by one: the burst reaches Redis as fast as one connection can send.
        var publishes = new Task<long>[Burst];
        for (var i = 0; i < Burst; i++)
        {
            publishes[i] = publisher.GetSubscriber().PublishAsync(channel, i);
        }

        Assert.All(await Task.WhenAll(publishes), receivers => Assert.Equal(1, receivers));
        await all.Task.WaitAsync(Wait);

        Assert.False(overlapped, "two messages were handled at the same time");
        var outOfOrder = Enumerable.Range(0, Burst).FirstOrDefault(i => received[i] != i, -1);
        Assert.True(outOfOrder == -1, $"message {outOfOrder} arrived as {(outOfOrder < 0 ? 0 : received[outOfOrder])}");
    }

    [Fact]
    public async Task Unsubscribing_returns_once_every_message_that_arrived_before_has_been_handled()
    {
        await using var publisher = await redis.Server.ConnectAsync();
        await using var subscriber = await redis.Server.ConnectAsync();
        var channel = RedisChannel.Literal(Names.Unique("drained"));
        var handled = 0;
        var subscription = await OrderedSubscription.SubscribeAsync(
            subscriber,
            channel,
            _ =>
            {
                // Slow enough that most of the burst is still queued when the unsubscribe starts.
                Thread.SpinWait(20_000);
                Interlocked.Increment(ref handled);
            },
            _ => { });

        const int count = 2_000;
        var delivered = 0L;
        for (var i = 0; i < count; i++)
        {
            delivered += await publisher.GetSubscriber().PublishAsync(channel, i);
        }

        await subscription.UnsubscribeAsync();
        var handledAtReturn = Volatile.Read(ref handled);

        Assert.Equal(count, delivered);
        Assert.Equal(count, handledAtReturn);
        Assert.Equal(0, await publisher.GetSubscriber().PublishAsync(channel, "after"));
    }

    [Fact]
    public async Task A_handler_that_throws_is_reported_and_the_next_message_is_still_handled()
    {
        await using var publisher = await redis.Server.ConnectAsync();
        await using var subscriber = await redis.Server.ConnectAsync();
        var channel = RedisChannel.Literal(Names.Unique("faulty"));
        var handled = new ConcurrentQueue<string>();
        var failures = new ConcurrentQueue<Exception>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await OrderedSubscription.SubscribeAsync(
            subscriber,
            channel,
            value =>
            {
                if (value == "bad")
                {
                    throw new InvalidOperationException("bad payload");
                }

                handled.Enqueue(value!);
                second.TrySetResult();
            },
            failures.Enqueue);

        await publisher.GetSubscriber().PublishAsync(channel, "bad");
        await publisher.GetSubscriber().PublishAsync(channel, "good");
        await second.Task.WaitAsync(Wait);

        Assert.Equal(["good"], handled);
        Assert.Equal("bad payload", Assert.Single(failures).Message);
    }

    [Fact]
    public async Task Subscribing_while_Redis_is_down_succeeds_and_messages_flow_once_it_is_up()
    {
        // A Redis of its own: this test crashes it.
        await using var server = await RedisServer.StartAsync($"{Names.Unique("late")}-redis");
        await server.KillAsync();
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(200);
        await using var subscriber = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.False(subscriber.IsConnected);

        var channel = RedisChannel.Literal(Names.Unique("late"));
        var arrived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await OrderedSubscription.SubscribeAsync(subscriber, channel, value => arrived.TrySetResult(value!), _ => { });

        await server.StartAsync();
        await using var publisher = await server.ConnectAsync();
        await Eventually.HoldsAsync(
            async () => await publisher.GetSubscriber().PublishAsync(channel, "hello") > 0,
            TimeSpan.FromSeconds(15),
            "the recorded subscription was made once Redis came up");

        Assert.Equal("hello", await arrived.Task.WaitAsync(Wait));
    }
}
