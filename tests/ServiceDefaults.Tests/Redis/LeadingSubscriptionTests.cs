using ChatPlatform.ServiceDefaults.Redis;
using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Tests.Redis;

/// <summary>
/// The router's case: registry changes on one channel must be applied before a message that was
/// published after them on another channel is routed, although each channel has its own queue.
/// </summary>
public sealed class LeadingSubscriptionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Pairs = 50_000;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_message_is_handled_only_after_every_leading_message_published_before_it_was_applied()
    {
        await using var publisher = await redis.Server.ConnectAsync();
        await using var subscriber = await redis.Server.ConnectAsync();
        var leadingChannel = RedisChannel.Literal(Names.Unique("changes"));
        var dependentChannel = RedisChannel.Literal(Names.Unique("inbound"));

        var applied = new List<long>(Pairs);
        await using var leading = await LeadingSubscription.SubscribeAsync(
            subscriber,
            leadingChannel,
            value =>
            {
                lock (applied)
                {
                    applied.Add((long)value);
                }
            },
            _ => { });

        var stale = 0;
        var handled = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var dependent = await OrderedSubscription.SubscribeAsync(
            subscriber,
            dependentChannel,
            value =>
            {
                leading.CatchUp();
                int known;
                lock (applied)
                {
                    known = applied.Count;
                }

                // Message k was published right after change k.
                if (known <= (long)value)
                {
                    stale++;
                }

                if (++handled == Pairs)
                {
                    done.TrySetResult();
                }
            },
            exception => done.TrySetException(exception));

        var publishes = new List<Task<long>>(2 * Pairs);
        for (var i = 0; i < Pairs; i++)
        {
            publishes.Add(publisher.GetSubscriber().PublishAsync(leadingChannel, i));
            publishes.Add(publisher.GetSubscriber().PublishAsync(dependentChannel, i));
        }

        Assert.All(await Task.WhenAll(publishes), receivers => Assert.Equal(1, receivers));
        await done.Task.WaitAsync(Wait);

        Assert.Equal(0, stale);
        Assert.Equal(Enumerable.Range(0, Pairs).Select(i => (long)i), applied);
    }

    [Fact]
    public async Task Leading_messages_are_applied_without_other_traffic_within_a_few_idle_intervals()
    {
        await using var publisher = await redis.Server.ConnectAsync();
        await using var subscriber = await redis.Server.ConnectAsync();
        var channel = RedisChannel.Literal(Names.Unique("idle"));
        var applied = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var leading = await LeadingSubscription.SubscribeAsync(subscriber, channel, value => applied.TrySetResult(value!), _ => { });

        await publisher.GetSubscriber().PublishAsync(channel, "change");

        Assert.Equal("change", await applied.Task.WaitAsync(Wait));
    }
}
