using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Rooms;

[Collection(StackCollection.Name)]
public sealed class RoomTests(StackFixture fixture)
{
    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task A_room_message_reaches_every_member_on_both_gateways_but_the_sending_connection()
    {
        var room = Names.Unique("room");
        var aliceName = Names.Unique("alice");
        await using var alice = await Stack.ConnectAsync(0, aliceName);
        await using var aliceOther = await Stack.ConnectAsync(1, aliceName);
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await using var carol = await Stack.ConnectAsync(0, Names.Unique("carol"));
        await using var outsider = await Stack.ConnectAsync(1, Names.Unique("dave"));
        foreach (var member in new[] { alice, aliceOther, bob, carol })
        {
            await JoinAsync(member, room);
        }

        var ack = await alice.SendAndWaitAsync(new { room }, new { text = "hello room" });

        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(3, ack.GetProperty("recipients").GetInt32());
        foreach (var member in new[] { aliceOther, bob, carol })
        {
            var message = await member.ExpectAsync("message");
            Assert.Equal(ack.GetProperty("message").GetString(), message.GetProperty("message").GetString());
            Assert.Equal(room, message.GetProperty("to").GetProperty("room").GetString());
            Assert.Equal(alice.ConnectionId, message.GetProperty("from").GetProperty("connection").GetString());
        }

        await alice.ExpectNothingAsync(IsMessage, TimeSpan.FromMilliseconds(300));
        await outsider.ExpectNothingAsync(IsMessage, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Sending_to_a_room_you_have_not_joined_is_forbidden()
    {
        var room = Names.Unique("room");
        await using var member = await Stack.ConnectAsync(0, Names.Unique("bob"));
        await JoinAsync(member, room);
        await using var alice = await Stack.ConnectAsync(1, Names.Unique("alice"));

        var reply = await alice.SendAndWaitAsync(new { room }, "let me in");

        Assert.Equal("forbidden", reply.GetProperty("code").GetString());
        Assert.Equal($"join room {room} before sending to it", reply.GetProperty("message").GetString());
        await member.ExpectNothingAsync(IsMessage, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_member_alone_in_a_room_gets_an_ack_with_no_recipients()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await JoinAsync(alice, room);

        var ack = await alice.SendAndWaitAsync(new { room }, "anyone?");

        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(0, ack.GetProperty("recipients").GetInt32());
    }

    [Fact]
    public async Task Members_see_a_user_join_on_their_first_connection_and_leave_with_their_last()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await JoinAsync(alice, room);
        await using var bob1 = await Stack.ConnectAsync(1, bobName);
        var bob2 = await Stack.ConnectAsync(0, bobName);

        await JoinAsync(bob1, room);
        Assert.Equal(Event("joined", room, bobName), (await alice.ExpectAsync("joined")).GetRawText());
        await JoinAsync(bob2, room);
        await LeaveAsync(bob1, room);
        await alice.ExpectNothingAsync(IsMembership, TimeSpan.FromMilliseconds(500));

        // Bob's last connection in the room closes.
        await bob2.CloseAsync();
        Assert.Equal(Event("left", room, bobName), (await alice.ExpectAsync("left")).GetRawText());
        await bob1.ExpectNothingAsync(IsMembership, TimeSpan.FromMilliseconds(300));
        await bob2.DisposeAsync();
    }

    [Fact]
    public async Task Leaving_ends_the_room_messages_and_tells_the_others()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await JoinAsync(alice, room);
        await JoinAsync(bob, room);
        await alice.ExpectAsync("joined");

        await LeaveAsync(bob, room);

        Assert.Equal(Event("left", room, bob.User), (await alice.ExpectAsync("left")).GetRawText());
        Assert.Equal(0, (await alice.SendAndWaitAsync(new { room }, "bye")).GetProperty("recipients").GetInt32());
        await bob.ExpectNothingAsync(IsMessage, TimeSpan.FromMilliseconds(300));
        Assert.Equal("forbidden", (await bob.SendAndWaitAsync(new { room }, "still here?")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Joining_and_leaving_twice_is_harmless()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await JoinAsync(alice, room);

        await JoinAsync(bob, room);
        await JoinAsync(bob, room);
        Assert.Equal(1, (await alice.SendAndWaitAsync(new { room }, "once")).GetProperty("recipients").GetInt32());
        await LeaveAsync(bob, room);
        await LeaveAsync(bob, room);

        Assert.Equal("\"once\"", (await bob.ExpectAsync("message")).GetProperty("body").GetRawText());
        await bob.ExpectNothingAsync(IsMessage, TimeSpan.FromMilliseconds(300));
        await alice.ExpectAsync("joined");
        await alice.ExpectAsync("left");
        await alice.ExpectNothingAsync(IsMembership, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Presence_lists_a_rooms_users_and_counts_a_users_connections()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob1 = await Stack.ConnectAsync(0, bobName);
        await using var bob2 = await Stack.ConnectAsync(1, bobName);
        await JoinAsync(alice, room);
        await JoinAsync(bob1, room);
        await JoinAsync(bob2, room);

        await alice.SendAsync(new { type = "presence", id = "p1", room });
        await alice.SendAsync(new { type = "presence", id = "p2", user = bobName });
        await alice.SendAsync(new { type = "presence", id = "p3", user = "nobody-at-all" });
        await alice.SendAsync(new { type = "presence", id = "p4", room = Names.Unique("empty") });

        var users = new[] { alice.User, bobName }.Order(StringComparer.Ordinal);
        Assert.Equal(
            $$"""{"type":"presence","id":"p1","room":"{{room}}","users":[{{string.Join(',', users.Select(user => $"\"{user}\""))}}]}""",
            (await Reply(alice, "p1")).GetRawText());
        Assert.Equal($$"""{"type":"presence","id":"p2","user":"{{bobName}}","online":true,"connections":2}""", (await Reply(alice, "p2")).GetRawText());
        Assert.Equal("""{"type":"presence","id":"p3","user":"nobody-at-all","online":false,"connections":0}""", (await Reply(alice, "p3")).GetRawText());
        Assert.Empty((await Reply(alice, "p4")).GetProperty("users").EnumerateArray());
    }

    [Fact]
    public async Task Everyone_reaches_every_connection_but_the_senders()
    {
        var aliceName = Names.Unique("alice");
        await using var alice = await Stack.ConnectAsync(0, aliceName);
        await using var aliceOther = await Stack.ConnectAsync(1, aliceName);
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));

        await alice.SendAsync(new { type = "send", id = "all", to = new { everyone = true }, body = "hello all" });

        var ack = await alice.ReplyToAsync("all");
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.True(ack.GetProperty("recipients").GetInt32() >= 2, ack.GetRawText());
        foreach (var other in new[] { aliceOther, bob })
        {
            var message = await other.ExpectAsync(frame => IsMessage(frame) && frame.GetProperty("message").GetString() == ack.GetProperty("message").GetString(), "the broadcast");
            Assert.True(message.GetProperty("to").GetProperty("everyone").GetBoolean());
        }

        await alice.ExpectNothingAsync(frame => IsMessage(frame) && frame.GetProperty("message").GetString() == ack.GetProperty("message").GetString(), TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData("""{"type":"join","id":"j1"}""", "\"join\" needs a \"room\"")]
    [InlineData("""{"type":"join","id":"j1","room":"has space"}""", "\"room\" must be 1-128 letters, digits, '-', '_', '.' or ':'")]
    [InlineData("""{"type":"join","id":"j1","room":7}""", "\"room\" must be a string")]
    [InlineData("""{"type":"leave","id":"j1"}""", "\"leave\" needs a \"room\"")]
    [InlineData("""{"type":"presence","id":"j1"}""", "\"presence\" needs exactly one of \"room\" or \"user\"")]
    [InlineData("""{"type":"presence","id":"j1","room":"a","user":"b"}""", "\"presence\" needs exactly one of \"room\" or \"user\"")]
    [InlineData("""{"type":"send","id":"j1","to":{"everyone":false},"body":1}""", "\"to.everyone\" must be true")]
    [InlineData("""{"type":"send","id":"j1","to":{"room":"a b"},"body":1}""", "\"to.room\" must be 1-128 letters, digits, '-', '_', '.' or ':'")]
    public async Task A_malformed_room_frame_gets_bad_request(string frame, string message)
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        await alice.SendAsync(frame);

        var error = await alice.ReplyToAsync("j1");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_room_name_of_128_characters_with_colons_is_accepted()
    {
        var room = ("team:" + Guid.NewGuid().ToString("N")).PadRight(128, '.');
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        await JoinAsync(alice, room);
    }

    internal static async Task JoinAsync(TestClient client, string room)
    {
        var id = Guid.NewGuid().ToString("N");
        await client.SendAsync(new { type = "join", id, room });
        Assert.Equal($$"""{"type":"ack","id":"{{id}}","room":"{{room}}"}""", (await client.ReplyToAsync(id)).GetRawText());
    }

    private static async Task LeaveAsync(TestClient client, string room)
    {
        var id = Guid.NewGuid().ToString("N");
        await client.SendAsync(new { type = "leave", id, room });
        Assert.Equal($$"""{"type":"ack","id":"{{id}}","room":"{{room}}"}""", (await client.ReplyToAsync(id)).GetRawText());
    }

    private static Task<JsonElement> Reply(TestClient client, string id) =>
        client.ExpectAsync(frame => frame.GetProperty("type").GetString() == "presence" && frame.GetProperty("id").GetString() == id, $"the answer to {id}");

    internal static string Event(string type, string room, string user) => $$"""{"type":"{{type}}","room":"{{room}}","user":"{{user}}"}""";

    private static bool IsMessage(JsonElement frame) => frame.GetProperty("type").GetString() == "message";

    private static bool IsMembership(JsonElement frame) => frame.GetProperty("type").GetString() is "joined" or "left";
}
