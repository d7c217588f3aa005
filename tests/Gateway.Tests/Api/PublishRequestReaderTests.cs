using System.Text;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Api;

namespace ChatPlatform.Gateway.Tests.Api;

public sealed class PublishRequestReaderTests
{
    [Fact]
    public void A_publish_keeps_its_body_as_the_raw_json_it_was_sent_as_and_ignores_unknown_fields()
    {
        var json = """{"extra":[1,{"a":2}],"body":{"text":"hi", "n":[1, 2]},"to":{"room":"lobby"},"from":"billing"}""";

        var publish = PublishRequestReader.Read(Encoding.UTF8.GetBytes(json), out var problem);

        Assert.Null(problem);
        Assert.Equal((MessageTarget.Room("lobby"), "billing"), (publish!.Target, publish.From));
        Assert.Equal("""{"text":"hi", "n":[1, 2]}""", Encoding.UTF8.GetString(publish.Body.Span));
    }

    [Theory]
    [InlineData("\"a string\"", "\"a string\"")]
    [InlineData("42", "42")]
    [InlineData("null", "null")]
    public void Any_json_value_is_a_body(string body, string expected)
    {
        var publish = PublishRequestReader.Read(Encoding.UTF8.GetBytes($$"""{"to":{"everyone":true},"from":"ops","body":{{body}}}"""), out _);

        Assert.Equal((MessageTarget.Everyone, expected), (publish!.Target, Encoding.UTF8.GetString(publish.Body.Span)));
    }

    [Theory]
    [InlineData("""{"to":{"user":"bob"},"from":"billing","body":1} x""", "not valid JSON")]
    [InlineData("""{"to":{"user":"bob"},"from":"billing","body":""", "not valid JSON")]
    [InlineData("""{"to":{"user":""},"from":"billing","body":1}""", "to.user")]
    [InlineData("""{"to":{"user":"bob"},"from":"","body":1}""", "\"from\" must be")]
    [InlineData("""{"to":{"user":"bob"},"from":7,"body":1}""", "\"from\" must be")]
    [InlineData("""{"to":{"user":"bob"},"from":"a-name-that-is-far-too-long-for-a-system-sender-0123456789abcdefghij","body":1}""", "\"from\" must be")]
    [InlineData("""{"to":"bob","from":"billing","body":1}""", "\"to\" must be an object")]
    public void A_bad_publish_says_what_is_wrong(string json, string expected)
    {
        Assert.Null(PublishRequestReader.Read(Encoding.UTF8.GetBytes(json), out var problem));
        Assert.Contains(expected, problem);
    }
}
