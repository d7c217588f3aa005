using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Protocol;

[Collection(StackCollection.Name)]
public sealed class BadInputTests(StackFixture fixture)
{
    private ChatStack Stack => fixture.Stack;

    public static TheoryData<string, string?, string, string> MalformedFrames => new()
    {
        { "not json", null, "bad_request", "malformed JSON" },
        { "{\"type\":\"send\"", null, "bad_request", "malformed JSON" },
        { "{\"type\":\"send\",\"id\":\"t1\"} {}", "t1", "bad_request", "malformed JSON" },
        { "[1,2,3]", null, "bad_request", "a frame must be a JSON object" },
        { "\"send\"", null, "bad_request", "a frame must be a JSON object" },
        { "{\"id\":\"t2\"}", "t2", "bad_request", "missing \"type\"" },
        { "{\"type\":7,\"id\":\"t3\"}", "t3", "bad_request", "\"type\" must be a string" },
        { "{\"type\":\"dance\",\"id\":\"t4\"}", "t4", "unknown_type", "unknown type \"dance\"" },
        { "{\"type\":\"send\",\"id\":\"t5\",\"body\":1}", "t5", "bad_request", "\"send\" needs \"to\"" },
        { "{\"type\":\"send\",\"id\":\"t6\",\"to\":{\"user\":\"bob\"}}", "t6", "bad_request", "\"send\" needs a \"body\"" },
        { "{\"type\":\"send\",\"id\":\"t7\",\"to\":\"bob\",\"body\":1}", "t7", "bad_request", "\"to\" must be an object" },
        { "{\"type\":\"send\",\"id\":\"t8\",\"to\":{},\"body\":1}", "t8", "bad_request", "\"to\" must name one of \"user\", \"connection\", \"room\" or \"everyone\"" },
        { "{\"type\":\"send\",\"id\":\"t9\",\"to\":{\"planet\":\"mars\"},\"body\":1}", "t9", "bad_request", "unknown target \"planet\"" },
        { "{\"type\":\"send\",\"id\":\"t10\",\"to\":{\"user\":\"bob\",\"connection\":\"abc\"},\"body\":1}", "t10", "bad_request", "\"to\" must name exactly one target" },
        { "{\"type\":\"send\",\"id\":\"t11\",\"to\":{\"user\":\"no spaces\"},\"body\":1}", "t11", "bad_request", "\"to.user\" must be" },
        { "{\"type\":\"send\",\"id\":\"t12\",\"to\":{\"user\":\"" + new string('a', 129) + "\"},\"body\":1}", "t12", "bad_request", "\"to.user\" must be" },
        { "{\"type\":\"send\",\"id\":\"t13\",\"to\":{\"user\":42},\"body\":1}", "t13", "bad_request", "\"to.user\" must be a string" },
        { "{\"type\":\"send\",\"id\":{\"nested\":1},\"to\":{\"user\":\"bob\"},\"body\":1}", null, "bad_request", "\"id\" must be a string or a number" },
        { "{\"type\":\"send\",\"id\":\"t14\",\"to\":{\"user\":\"bob\"},\"body\":" + new string('[', 100) + new string(']', 100) + "}", "t14", "bad_request", "malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task A_malformed_frame_gets_an_error_and_the_connection_stays_usable(string frame, string? id, string code, string messageStart)
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        await alice.SendAsync(frame);
        var error = await alice.ExpectAsync("error");

        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.StartsWith(messageStart, error.GetProperty("message").GetString());
        if (id is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        }
        else
        {
            Assert.Equal(id, error.GetProperty("id").GetString());
        }

        var ack = await alice.SendAndWaitAsync(new { user = alice.User }, "still here");
        Assert.Equal("ack", ack.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_frame_over_the_limit_gets_too_large_then_close_1009()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var body = new string('x', 64 * 1024);

        await alice.SendAsync($$"""{"type":"send","id":"big","to":{"user":"{{alice.User}}"},"body":"{{body}}"}""");

        var error = await alice.ExpectAsync("error");
        Assert.Equal("too_large", error.GetProperty("code").GetString());
        await alice.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, alice.CloseStatus);
    }

    [Fact]
    public async Task A_frame_exactly_at_the_limit_is_accepted()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var prefix = $$"""{"type":"send","id":"edge","to":{"user":"{{alice.User}}"},"body":" """.TrimEnd();
        var frame = prefix + new string('x', 64 * 1024 - prefix.Length - 2) + "\"}";
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(frame));

        await alice.SendAsync(frame);

        Assert.Equal("ack", (await alice.ReplyToAsync("edge")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Fragments_that_add_up_to_more_than_the_limit_close_the_connection_with_1009()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var chunk = Encoding.UTF8.GetBytes(new string(' ', 16 * 1024));

        await alice.SendRawAsync(Encoding.UTF8.GetBytes("{\"type\":\"send\","), WebSocketMessageType.Text, endOfMessage: false);
        for (var i = 0; i < 5; i++)
        {
            await alice.SendRawAsync(chunk, WebSocketMessageType.Text, endOfMessage: false);
        }

        await alice.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, alice.CloseStatus);
    }

    [Fact]
    public async Task A_binary_frame_closes_the_connection_with_1003()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        await alice.SendRawAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary);

        await alice.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, alice.CloseStatus);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?user=")]
    [InlineData("?user=has%20space")]
    [InlineData("?user=%C3%A9l%C3%A8ve")]
    [InlineData("?user=a&user=b")]
    public async Task An_upgrade_with_a_bad_user_name_is_refused_with_400(string query)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri($"ws://127.0.0.1:{Stack.Gateways[0].Port}/ws{query}");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_websocket_endpoint_is_refused_with_400()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync($"http://127.0.0.1:{Stack.Gateways[0].Port}/ws?user=alice");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }
}
