namespace ChatPlatform.Client.Tests.Connections;

public sealed class ChatClientOptionsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_timeout_longer_than_timers_take_is_refused(bool request)
    {
        var tooLong = TimeSpan.FromMilliseconds(int.MaxValue) + TimeSpan.FromMilliseconds(1);
        var options = new ChatClientOptions { User = "alice", Urls = { new Uri("ws://127.0.0.1:1/ws") } };
        if (request)
        {
            options.RequestTimeout = tooLong;
        }
        else
        {
            options.ConnectTimeout = tooLong;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("at most", error.Message);
    }

    [Fact]
    public void The_longest_timeout_timers_take_is_allowed()
    {
        var options = new ChatClientOptions
        {
            User = "alice",
            Urls = { new Uri("ws://127.0.0.1:1/ws") },
            RequestTimeout = TimeSpan.FromMilliseconds(int.MaxValue),
            ConnectTimeout = TimeSpan.FromMilliseconds(int.MaxValue),
        };

        options.Validate();
    }
}
