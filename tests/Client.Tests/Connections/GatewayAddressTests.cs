using System.Web;
using ChatPlatform.Client.Connections;

namespace ChatPlatform.Client.Tests.Connections;

public sealed class GatewayAddressTests
{
    private static readonly Uri Gateway = new("ws://127.0.0.1:8081/ws");

    [Fact]
    public void A_first_connection_with_a_token_goes_to_the_address_as_given()
    {
        Assert.Equal(Gateway, GatewayAddress.For(Gateway, null, null));
    }

    [Fact]
    public void A_resume_names_the_session_and_one_since_per_stream_with_values_escaped()
    {
        var resume = new ResumePoint("9f2c4e1a7b3d5f60.Qm9v+/=&x", [new("room:lobby", 17), new("user:a&b=c", 41)]);

        var url = GatewayAddress.For(new Uri("ws://127.0.0.1:8081/ws?v=1"), "a&b=c", resume);

        Assert.Equal(
            "v=1&user=a%26b%3Dc&resume=9f2c4e1a7b3d5f60.Qm9v%2B%2F%3D%26x&since=room%3Alobby%3A17&since=user%3Aa%26b%3Dc%3A41",
            url.Query.TrimStart('?'));
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("9f2c4e1a7b3d5f60.Qm9v+/=&x", query["resume"]);
        Assert.Equal(["room:lobby:17", "user:a&b=c:41"], query.GetValues("since")!);
        Assert.Equal("a&b=c", query["user"]);
        Assert.Equal("/ws", url.AbsolutePath);
    }

    [Fact]
    public void Since_entries_that_would_make_the_query_too_long_are_left_out_from_the_last()
    {
        // 101 streams with names of 128 colons: each entry is over 400 characters escaped.
        var since = Enumerable.Range(0, 101).Select(n => new StreamPosition($"room:{n:000}{new string(':', 125)}", 1_000_000 + n)).ToArray();

        var url = GatewayAddress.For(Gateway, "alice", new ResumePoint("s", since));

        var query = url.Query.TrimStart('?');
        Assert.InRange(query.Length, GatewayAddress.MaxQueryLength - 450, GatewayAddress.MaxQueryLength);
        var kept = HttpUtility.ParseQueryString(url.Query).GetValues("since")!;
        Assert.InRange(kept.Length, 10, 100);
        Assert.Equal(since.Take(kept.Length).Select(position => $"{position.Stream}:{position.Offset}"), kept);
        Assert.Equal("s", HttpUtility.ParseQueryString(url.Query)["resume"]);
    }
}
