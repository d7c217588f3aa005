using ChatPlatform.Gateway.History;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatPlatform.Gateway.Tests.History;

public sealed class ResumeRequestTests
{
    [Fact]
    public void Without_resume_nothing_is_resumed()
    {
        Assert.Null(ResumeRequest.From(Query("?user=bob&since=room:lobby:3")));
    }

    [Fact]
    public void Each_since_is_a_stream_and_the_offset_after_its_last_colon()
    {
        var request = ResumeRequest.From(Query("?resume=abc&since=room:private:staff:17&since=user:auth0%7Cx:y:41&since=room:lobby:3"))!;

        Assert.Equal("abc", request.Session);
        Assert.Equal(
            new Dictionary<string, long> { ["room:private:staff"] = 17, ["user:auth0|x:y"] = 41, ["room:lobby"] = 3 },
            request.Since);
    }

    [Theory]
    [InlineData("room:lobby")]
    [InlineData("room:lobby:")]
    [InlineData("room:lobby:-1")]
    [InlineData("room:lobby:1e3")]
    [InlineData(":5")]
    [InlineData("room:lobby:99999999999999999999")]
    public void A_since_that_cannot_be_read_is_ignored(string since)
    {
        var request = ResumeRequest.From(Query($"?resume=abc&since={Uri.EscapeDataString(since)}"))!;

        Assert.Empty(request.Since);
    }

    [Fact]
    public void At_most_256_positions_are_read()
    {
        var query = "?resume=abc" + string.Concat(Enumerable.Range(0, 300).Select(i => $"&since=room:r{i}:{i}"));

        Assert.Equal(256, ResumeRequest.From(Query(query))!.Since.Count);
    }

    private static QueryCollection Query(string query) => new(QueryHelpers.ParseQuery(query));
}
