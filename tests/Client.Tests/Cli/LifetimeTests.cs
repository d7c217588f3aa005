using ChatPlatform.Cli.Tokens;

namespace ChatPlatform.Client.Tests.Cli;

public sealed class LifetimeTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604_800)]
    [InlineData("1h30m", 5400)]
    [InlineData("01:30:00", 5400)]
    public void Durations_read_as_units_or_a_time_span(string text, int seconds)
    {
        Assert.True(Lifetime.TryParse(text, out var lifetime));
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0s")]
    [InlineData("-1:00:00")]
    [InlineData("1 hour")]
    [InlineData("10")]
    [InlineData("90")]
    [InlineData("1.5")]
    [InlineData("1y")]
    [InlineData("999999d")]
    [InlineData("999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(Lifetime.TryParse(text, out _));
    }
}
