using ChatPlatform.Client.Connections;

namespace ChatPlatform.Client.Tests.Connections;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_ceiling_doubles_from_the_initial_delay_up_to_the_maximum()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(1));

        Assert.Equal(
            [100, 200, 400, 800, 1600, 3200, 5000, 5000],
            Enumerable.Range(0, 8).Select(attempt => backoff.Ceiling(attempt).TotalMilliseconds));
        Assert.Equal(Max, backoff.Ceiling(1_000_000));
    }

    [Fact]
    public void Delays_are_drawn_from_zero_to_the_ceiling_with_full_jitter()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(42));

        for (var attempt = 0; attempt < 12; attempt++)
        {
            var ceiling = backoff.Ceiling(attempt);
            var delays = Enumerable.Range(0, 500).Select(_ => backoff.Delay(attempt)).ToList();

            Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, ceiling));

            // Full jitter: spread over the whole range, not bunched at one end.
            Assert.InRange(delays.Min(), TimeSpan.Zero, ceiling * 0.1);
            Assert.InRange(delays.Max(), ceiling * 0.9, ceiling);
            Assert.InRange(delays.Average(delay => delay.Ticks), ceiling.Ticks * 0.4, ceiling.Ticks * 0.6);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        var first = new ReconnectBackoff(Initial, Max, new Random(7));
        var second = new ReconnectBackoff(Initial, Max, new Random(7));

        Assert.Equal(
            Enumerable.Range(0, 10).Select(first.Delay),
            Enumerable.Range(0, 10).Select(second.Delay));
    }
}
