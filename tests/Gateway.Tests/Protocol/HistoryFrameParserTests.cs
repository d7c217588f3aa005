using System.Text;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Tests.Protocol;

/// <summary>The <c>history</c> frame (docs/protocol.md, "history").</summary>
public sealed class HistoryFrameParserTests
{
    private const string NeedsOne = "\"history\" needs exactly one of \"room\" or \"user\":true";

    [Theory]
    [InlineData("""{"type":"history","id":"h1","room":"lobby"}""", "lobby", 50, null)]
    [InlineData("""{"type":"history","id":"h1","room":"lobby","limit":100,"before":42}""", "lobby", 100, 42L)]
    [InlineData("""{"type":"history","id":"h1","user":true,"limit":1}""", null, 1, null)]
    [InlineData("""{"before":9007199254740993,"user":true,"type":"history","id":"h1","extra":[1]}""", null, 50, 9007199254740993L)]
    public void A_history_request_names_a_room_or_the_callers_own_stream(string frame, string? room, int limit, long? before)
    {
        var parsed = ClientFrameParser.TryParse(Encoding.UTF8.GetBytes(frame), out var command, out var error);

        Assert.True(parsed, error?.Message);
        var history = Assert.IsType<HistoryCommand>(command);
        Assert.Equal((room, limit, before), (history.Room, history.Limit, history.Before));
        Assert.Equal("\"h1\"", Encoding.UTF8.GetString(history.RequestId!));
    }

    [Theory]
    [InlineData("""{"type":"history","id":"h","room":"lobby","limit":0}""", "\"limit\" must be a whole number from 1 to 100")]
    [InlineData("""{"type":"history","id":"h","room":"lobby","limit":101}""", "\"limit\" must be a whole number from 1 to 100")]
    [InlineData("""{"type":"history","id":"h","room":"lobby","limit":2.5}""", "\"limit\" must be a whole number from 1 to 100")]
    [InlineData("""{"type":"history","id":"h","room":"lobby","limit":"5"}""", "\"limit\" must be a whole number from 1 to 100")]
    [InlineData("""{"type":"history","id":"h","room":"lobby","before":0}""", "\"before\" must be a whole number of at least 1")]
    [InlineData("""{"type":"history","id":"h","room":"lobby","before":-3}""", "\"before\" must be a whole number of at least 1")]
    [InlineData("""{"type":"history","id":"h","room":"lobby","before":1e400}""", "\"before\" must be a whole number of at least 1")]
    [InlineData("""{"type":"history","id":"h"}""", NeedsOne)]
    [InlineData("""{"type":"history","id":"h","user":false}""", NeedsOne)]
    [InlineData("""{"type":"history","id":"h","user":"bob"}""", NeedsOne)]
    [InlineData("""{"type":"history","id":"h","room":"lobby","user":true}""", NeedsOne)]
    [InlineData("""{"type":"history","id":"h","room":"no spaces"}""", "\"room\" must be 1-128 letters, digits, '-', '_', '.' or ':'")]
    public void A_history_request_that_is_not_valid_is_a_bad_request_saying_why(string frame, string message)
    {
        var parsed = ClientFrameParser.TryParse(Encoding.UTF8.GetBytes(frame), out _, out var error);

        Assert.False(parsed);
        Assert.Equal(("bad_request", message), (error!.Code, error.Message));
        Assert.Equal("\"h\"", Encoding.UTF8.GetString(error.RequestId!));
    }
}
