using System.Text;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Commands;

/// <summary>Parsing a frame and handing it to the handler of its type; the handlers are tested in the files beside this one.</summary>
public sealed class ClientCommandHandlerTests : CommandHarness
{
    [Fact]
    public async Task A_malformed_frame_is_answered_with_bad_request_and_goes_nowhere()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"join","id":"1","room":"no spaces"}""");

        var error = (await alice.ReceiveAsync()).Json;
        Assert.Equal("\"1\"", error.GetProperty("id").GetRawText());
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal("\"room\" must be 1-128 letters, digits, '-', '_', '.' or ':'", error.GetProperty("message").GetString());
        Assert.Empty(_presence.Calls);
        Assert.Empty(_publisher.Published);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "bad_request"));
        await alice.AssertNothingMoreAsync();
    }

    [Theory]
    [InlineData("""{"type":"send","id":"1","to":{"user":"bob"},"from":"mallory","user":"mallory","body":"hi"}""")]
    [InlineData("""{"type":"send","id":"1","from":{"user":"mallory","connection":"0000000000000000"},"to":{"user":"bob"},"body":"hi"}""")]
    [InlineData("""{"type":"send","id":"1","to":{"user":"bob"},"body":"hi","sender":"mallory","userId":"mallory","connection":"0000000000000000"}""")]
    [InlineData("""{"type":"send","id":"1","to":{"room":"lobby"},"from":{"user":"mallory"},"user":"mallory","body":"hi"}""")]
    public async Task Sender_fields_a_client_puts_in_a_frame_do_not_change_who_sent_it(string frame)
    {
        await using var alice = await ConnectAsync("3f9a0c1be2d47a85", "alice", Token(roles: ["member"]));
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());

        await HandleAsync(alice, frame);

        var message = DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload);
        Assert.Equal("alice", message.UserId);
        Assert.Equal("3f9a0c1be2d47a85", message.ConnectionId);
        Assert.Equal(GatewayId, message.GatewayId);
        Assert.Equal("\"hi\"", Encoding.UTF8.GetString(message.Body.Span));
    }
}
