using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Commands;

/// <summary><c>presence</c>: a question published on the asker's shard, answered with its router's answer.</summary>
public sealed class PresenceQueryHandlerTests : CommandHarness
{
    [Theory]
    [InlineData("""{"type":"presence","id":"7","room":"lobby"}""", TargetKind.Room, "lobby")]
    [InlineData("""{"type":"presence","id":"7","user":"bob"}""", TargetKind.User, "bob")]
    public async Task A_presence_question_is_published_on_the_askers_shard_by_anyone(string frame, TargetKind kind, string name)
    {
        // Not a member of the room: anyone may ask.
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, frame);

        var (shard, payload) = Assert.Single(_publisher.Published);
        Assert.Equal(InboundShards.Of("c-alice", ShardCount), shard);
        Assert.Equal(PayloadKind.PresenceQuery, DataPlaneCodec.PeekKind(payload));
        var query = DataPlaneCodec.DecodePresenceQuery(payload);
        Assert.Equal(new MessageTarget(kind, name), query.Target);
        Assert.Equal(GatewayId, query.GatewayId);
        Assert.Equal("c-alice", query.ConnectionId);
        Assert.Matches("^[0-9a-f]{32}$", query.QueryId);
        Assert.Equal(1, _pending.Count);
        Assert.Empty(_presence.Calls);
    }

    [Fact]
    public async Task A_room_presence_question_is_answered_with_the_routers_answer()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"presence","id":"7","room":"lobby"}""");
        var query = DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload);

        _acknowledgements.OnAnswer(new PresenceAnswer(query.QueryId, "c-alice", 2, ["alice", "bob"]));

        Assert.Equal("""{"type":"presence","id":"7","room":"lobby","users":["alice","bob"]}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_user_presence_question_is_answered_with_the_routers_answer()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"presence","id":"8","user":"bob"}""");
        var query = DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload);

        _acknowledgements.OnAnswer(new PresenceAnswer(query.QueryId, "c-alice", 2, []));

        Assert.Equal("""{"type":"presence","id":"8","user":"bob","online":true,"connections":2}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_presence_question_no_router_answers_gets_unavailable_after_the_ack_timeout()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"presence","id":"8","user":"bob"}""");

        _time.Advance(AckTimeout);
        _acknowledgements.ExpireOverdue();

        var error = (await alice.ReceiveAsync()).Json;
        Assert.Equal("8", error.GetProperty("id").GetString());
        Assert.Equal("unavailable", error.GetProperty("code").GetString());
        Assert.Equal(0, _pending.Count);
    }
}
