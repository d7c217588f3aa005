using System.Text;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Commands;

/// <summary><c>send</c>: what is published for a message, and how its router's outcome is answered.</summary>
public sealed class SendHandlerTests : CommandHarness
{
    [Fact]
    public async Task A_member_sending_to_its_room_publishes_the_message_on_its_shard()
    {
        await using var alice = await ConnectAsync("3f9a0c1be2d47a85", "alice");
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"room":"lobby"},"from":{"user":"mallory"},"body":{"text":"hi all"}}""");

        var (shard, payload) = Assert.Single(_publisher.Published);
        Assert.Equal(InboundShards.Of("3f9a0c1be2d47a85", ShardCount), shard);
        var message = DataPlaneCodec.DecodeInbound(payload);
        Assert.Equal(MessageTarget.Room("lobby"), message.Target);
        Assert.Equal(GatewayId, message.GatewayId);
        Assert.Equal("3f9a0c1be2d47a85", message.ConnectionId);
        Assert.Equal("alice", message.UserId);
        Assert.Equal("""{"text":"hi all"}""", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), message.Timestamp);
        Assert.Matches("^[0-9a-f]{32}$", message.MessageId);
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public async Task A_room_message_is_acked_with_the_routers_recipient_count()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","room":"lobby"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        await HandleAsync(alice, """{"type":"send","id":"4","to":{"room":"lobby"},"body":"hi all"}""");
        var messageId = DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload).MessageId;

        _acknowledgements.OnOutcome(new SendOutcome(messageId, "c-alice", SendStatus.Routed, 1));

        Assert.Equal($$"""{"type":"ack","id":"4","message":"{{messageId}}","recipients":1}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Sending_to_everyone_is_published_when_broadcast_is_allowed()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        var (shard, payload) = Assert.Single(_publisher.Published);
        Assert.Equal(InboundShards.Of("c-alice", ShardCount), shard);
        var message = DataPlaneCodec.DecodeInbound(payload);
        Assert.Equal(MessageTarget.Everyone, message.Target);
        Assert.Equal("c-alice", message.ConnectionId);
        Assert.Equal("\"announcement\"", Encoding.UTF8.GetString(message.Body.Span));

        _acknowledgements.OnOutcome(new SendOutcome(message.MessageId, "c-alice", SendStatus.Routed, 7));
        Assert.Equal($$"""{"type":"ack","id":"4","message":"{{message.MessageId}}","recipients":7}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }
}
