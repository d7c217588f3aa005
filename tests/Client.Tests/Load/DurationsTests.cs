extern alias load;

using load::ChatPlatform.Load.Commands;

namespace ChatPlatform.Client.Tests.Load;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("10", 10)]
    [InlineData("2.5", 2.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("1m30s", 90)]
    [InlineData("2h", 7200)]
    [InlineData("00:01:30", 90)]
    [InlineData("0", 0)]
    public void Reads_seconds_units_and_clock_times(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("10x")]
    [InlineData("1d")]
    [InlineData("NaN")]
    public void Refuses_anything_else(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }
}
