using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Access;

/// <summary>Who may do what: room membership for sending, private rooms, sending to everyone, the room limit; each refusal as the client sees it.</summary>
public sealed class AccessRulesTests : CommandHarness
{
    [Fact]
    public async Task A_connection_can_join_up_to_the_configured_number_of_rooms()
    {
        Configure(new GatewayOptions { MaxRoomsPerConnection = 3 });
        await using var alice = await ConnectAsync("c-alice", "alice");
        foreach (var room in new[] { "a", "b", "c" })
        {
            await HandleAsync(alice, $$"""{"type":"join","id":"{{room}}","room":"{{room}}"}""");
            Assert.Equal($$"""{"type":"ack","id":"{{room}}","room":"{{room}}"}""", (await alice.ReceiveAsync()).Text);
        }

        await HandleAsync(alice, """{"type":"join","id":"d","room":"d"}""");

        Assert.Equal(
            """{"type":"error","id":"d","code":"bad_request","message":"a connection can be in at most 3 rooms"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.False(_connections.IsMember(alice.Connection, "d"));
        Assert.DoesNotContain(_presence.Calls, call => call.Room == "d");
        Assert.Equal(3, _connections.RoomCount(alice.Connection));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "bad_request"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task The_room_limit_is_the_documented_100_by_default()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        for (var i = 0; i < 100; i++)
        {
            await HandleAsync(alice, $$"""{"type":"join","room":"room-{{i}}"}""");
            Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        }

        await HandleAsync(alice, """{"type":"join","room":"room-100"}""");

        Assert.Equal("a connection can be in at most 100 rooms", (await alice.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Equal(100, _connections.RoomCount(alice.Connection));
    }

    [Fact]
    public async Task At_the_room_limit_joining_a_room_already_joined_is_still_acked()
    {
        Configure(new GatewayOptions { MaxRoomsPerConnection = 1 });
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"1","room":"lobby"}""");

        await HandleAsync(alice, """{"type":"join","id":"2","room":"lobby"}""");

        Assert.Equal("""{"type":"ack","id":"1","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"2","room":"lobby"}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Sending_to_a_room_the_connection_has_not_joined_is_forbidden_and_not_published()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"room":"lobby"},"body":"hi all"}""");

        Assert.Equal(
            """{"type":"error","id":"4","code":"forbidden","message":"join room lobby before sending to it"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);
        Assert.Equal(0, _pending.Count);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Only_the_connection_that_joined_may_send_to_the_room_not_the_users_other_connections()
    {
        await using var first = await ConnectAsync("c-alice-1", "alice");
        await using var second = await ConnectAsync("c-alice-2", "alice");
        await HandleAsync(first, """{"type":"join","room":"lobby"}""");

        await HandleAsync(second, """{"type":"send","id":"4","to":{"room":"lobby"},"body":1}""");

        Assert.Equal("join room lobby before sending to it", (await second.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Empty(_publisher.Published);
        await second.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task After_leaving_a_room_sending_to_it_is_forbidden_again()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"1","room":"lobby"}""");
        await HandleAsync(alice, """{"type":"leave","id":"2","room":"lobby"}""");

        await HandleAsync(alice, """{"type":"send","id":"3","to":{"room":"lobby"},"body":1}""");

        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        Assert.Empty(_publisher.Published);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Sending_to_everyone_is_forbidden_unless_broadcast_is_allowed()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal(
            """{"type":"error","id":"4","code":"forbidden","message":"sending to everyone is turned off on this server"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_private_room_cannot_be_joined_without_a_token_that_lists_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-b"]));

        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");

        Assert.Equal(
            """{"type":"error","id":"1","code":"forbidden","message":"room private:team-a is private; it needs a token that lists it"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Empty(_presence.Calls);
        Assert.False(_connections.IsMember(alice.Connection, "private:team-a"));
        Assert.Equal(0, _connections.RoomCount(alice.Connection));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_development_user_cannot_join_a_private_room()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");

        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        Assert.Empty(_presence.Calls);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_private_room_the_token_lists_is_joined_like_any_other()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));

        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");

        Assert.Equal("""{"type":"ack","id":"1","room":"private:team-a"}""", (await alice.ReceiveAsync()).Text);
        Assert.Equal([("join", "c-alice", "private:team-a")], _presence.Of("join"));
        Assert.True(_connections.IsMember(alice.Connection, "private:team-a"));
        await alice.AssertNothingMoreAsync();
    }

    [Theory]
    [InlineData("private:team-ab")]
    [InlineData("private:team")]
    [InlineData("private:TEAM-A")]
    public async Task A_grant_is_for_exactly_the_room_it_names(string room)
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));

        await HandleAsync(alice, $$"""{"type":"join","id":"1","room":"{{room}}"}""");

        Assert.Equal("forbidden", (await alice.ReceiveAsync()).Json.GetProperty("code").GetString());
        Assert.Empty(_presence.Calls);
    }

    [Theory]
    [InlineData("team:a")]
    [InlineData("privateroom")]
    [InlineData("my-private:room")]
    public async Task Only_rooms_starting_with_private_colon_are_private(string room)
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token());

        await HandleAsync(alice, $$"""{"type":"join","id":"1","room":"{{room}}"}""");

        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_connection_refused_a_private_room_cannot_send_to_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));
        await using var mallory = await ConnectAsync("c-mallory", "mallory", Token());
        await HandleAsync(alice, """{"type":"join","id":"1","room":"private:team-a"}""");
        Assert.Equal("ack", (await alice.ReceiveAsync()).Json.GetProperty("type").GetString());
        await HandleAsync(mallory, """{"type":"join","id":"1","room":"private:team-a"}""");
        Assert.Equal("forbidden", (await mallory.ReceiveAsync()).Json.GetProperty("code").GetString());

        await HandleAsync(mallory, """{"type":"send","id":"2","to":{"room":"private:team-a"},"body":"let me in"}""");

        Assert.Equal(
            """{"type":"error","id":"2","code":"forbidden","message":"join room private:team-a before sending to it"}""",
            (await mallory.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);
        Assert.Equal([alice.Connection], _connections.Resolve(MessageTarget.Room("private:team-a")));
        await mallory.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Who_is_in_a_private_room_is_asked_only_with_a_token_that_lists_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice", Token(rooms: ["private:team-a"]));
        await using var mallory = await ConnectAsync("c-mallory", "mallory", Token(rooms: ["private:team-b"]));

        await HandleAsync(mallory, """{"type":"presence","id":"7","room":"private:team-a"}""");
        Assert.Equal(
            """{"type":"error","id":"7","code":"forbidden","message":"room private:team-a is private; it needs a token that lists it"}""",
            (await mallory.ReceiveAsync()).Text);
        Assert.Empty(_publisher.Published);

        await HandleAsync(alice, """{"type":"presence","id":"8","room":"private:team-a"}""");
        var query = DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload);
        Assert.Equal(MessageTarget.Room("private:team-a"), query.Target);
        Assert.Equal("c-alice", query.ConnectionId);
        await mallory.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Asking_about_a_user_needs_no_grant()
    {
        await using var mallory = await ConnectAsync("c-mallory", "mallory", Token());

        await HandleAsync(mallory, """{"type":"presence","id":"7","user":"alice"}""");

        Assert.Equal(TargetKind.User, DataPlaneCodec.DecodePresenceQuery(Assert.Single(_publisher.Published).Payload).Target.Kind);
    }

    [Fact]
    public async Task Sending_to_everyone_with_a_token_needs_the_admin_role()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var alice = await ConnectAsync("c-alice", "alice", Token(roles: ["moderator"], rooms: ["admin"]));

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        var error = (await alice.ReceiveAsync()).Json;
        Assert.Equal("4", error.GetProperty("id").GetString());
        Assert.Equal("forbidden", error.GetProperty("code").GetString());
        Assert.Equal("sending to everyone needs the 'admin' role", error.GetProperty("message").GetString());
        Assert.Empty(_publisher.Published);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "forbidden"));
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task An_admin_may_send_to_everyone_when_broadcast_is_allowed()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var root = await ConnectAsync("c-root", "root", Token(roles: ["admin"]));

        await HandleAsync(root, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        var message = DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload);
        Assert.Equal(MessageTarget.Everyone, message.Target);
        Assert.Equal("root", message.UserId);
    }

    [Fact]
    public async Task Even_an_admin_may_not_send_to_everyone_when_broadcast_is_off()
    {
        await using var root = await ConnectAsync("c-root", "root", Token(roles: ["admin"]));

        await HandleAsync(root, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal("sending to everyone is turned off on this server", (await root.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_development_user_may_send_to_everyone_when_broadcast_is_allowed()
    {
        Configure(new GatewayOptions { AllowBroadcast = true });
        await using var alice = await ConnectAsync("c-alice", "alice");

        await HandleAsync(alice, """{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal(MessageTarget.Everyone, DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload).Target);
    }

    [Fact]
    public async Task The_admin_role_can_be_configured()
    {
        Configure(new GatewayOptions { AllowBroadcast = true }, new AuthOptions { Jwt = new JwtOptions { AdminRole = "broadcaster" } });
        await using var admin = await ConnectAsync("c-admin", "admin", Token(roles: ["admin"]));
        await using var broadcaster = await ConnectAsync("c-broadcaster", "broadcaster", Token(roles: ["broadcaster"]));

        await HandleAsync(admin, """{"type":"send","id":"1","to":{"everyone":true},"body":1}""");
        await HandleAsync(broadcaster, """{"type":"send","id":"2","to":{"everyone":true},"body":2}""");

        Assert.Equal("sending to everyone needs the 'broadcaster' role", (await admin.ReceiveAsync()).Json.GetProperty("message").GetString());
        Assert.Equal("c-broadcaster", DataPlaneCodec.DecodeInbound(Assert.Single(_publisher.Published).Payload).ConnectionId);
    }
}
