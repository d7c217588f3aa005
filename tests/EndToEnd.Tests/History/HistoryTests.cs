using System.Text.Json;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.History;

/// <summary>The <c>history</c> command on real sockets, and which messages are stored at all.</summary>
[Collection(StackCollection.Name)]
public sealed class HistoryTests(StackFixture fixture)
{
    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task A_rooms_history_is_its_newest_messages_oldest_first_and_pages_backwards()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAndWaitAsync(new { room }, new { text = $"m{i}" });
        }

        await RoomTests.JoinAsync(bob, room);
        var newest = await HistoryAsync(bob, new { type = "history", id = "h1", room, limit = 3 });

        Assert.Equal($"room:{room}", newest.GetProperty("stream").GetString());
        Assert.NotEmpty(newest.GetProperty("epoch").GetString()!);
        var messages = newest.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([3L, 4L, 5L], messages.Select(Resume.Offset));
        Assert.Equal(["m3", "m4", "m5"], messages.Select(message => message.GetProperty("body").GetProperty("text").GetString()));
        var first = messages[0];
        Assert.Equal(("message", alice.User, alice.ConnectionId, room), (
            first.GetProperty("type").GetString(),
            first.GetProperty("from").GetProperty("user").GetString(),
            first.GetProperty("from").GetProperty("connection").GetString(),
            first.GetProperty("to").GetProperty("room").GetString()));

        var older = await HistoryAsync(bob, new { type = "history", id = "h2", room, limit = 3, before = 3 });
        Assert.Equal([1L, 2L], older.GetProperty("messages").EnumerateArray().Select(Resume.Offset));
    }

    [Fact]
    public async Task A_users_history_holds_the_direct_messages_sent_to_them()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await alice.SendAndWaitAsync(new { user = bob.User }, "hi bob");
        await alice.SendAndWaitAsync(new { connection = bob.ConnectionId }, "not stored: to one connection");

        var own = await HistoryAsync(bob, new { type = "history", id = 7, user = true });

        Assert.Equal($"user:{bob.User}", own.GetProperty("stream").GetString());
        Assert.Equal(7, own.GetProperty("id").GetInt32());
        var message = Assert.Single(own.GetProperty("messages").EnumerateArray());
        Assert.Equal(("hi bob", 1L), (message.GetProperty("body").GetString(), Resume.Offset(message)));
    }

    [Fact]
    public async Task Live_messages_to_users_and_rooms_carry_their_stream_and_offset_and_others_do_not()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);

        var toUser = await alice.SendAndWaitAsync(new { user = bob.User }, "direct");
        var toRoom = await alice.SendAndWaitAsync(new { room }, "room");
        var toConnection = await alice.SendAndWaitAsync(new { connection = bob.ConnectionId }, "connection");

        Assert.True(toUser.GetProperty("stored").GetBoolean());
        Assert.True(toRoom.GetProperty("stored").GetBoolean());
        Assert.False(toConnection.TryGetProperty("stored", out _));
        var direct = await bob.ExpectAsync(frame => Resume.IsMessage(frame) && frame.GetProperty("body").GetString() == "direct", "the direct message");
        var inRoom = await bob.ExpectAsync(frame => Resume.IsMessage(frame) && frame.GetProperty("body").GetString() == "room", "the room message");
        var single = await bob.ExpectAsync(frame => Resume.IsMessage(frame) && frame.GetProperty("body").GetString() == "connection", "the message to the connection");
        Assert.Equal(($"user:{bob.User}", 1L), (Resume.Stream(direct), Resume.Offset(direct)));
        Assert.Equal(($"room:{room}", 1L), (Resume.Stream(inRoom), Resume.Offset(inRoom)));
        Assert.Null(Resume.Stream(single));
        Assert.False(single.TryGetProperty("offset", out _));
    }

    [Theory]
    [InlineData("""{"type":"history","id":"x","room":"ROOM"}""", "forbidden", "join room ROOM before reading its history")]
    [InlineData("""{"type":"history","id":"x","room":"ROOM","limit":101}""", "bad_request", "\"limit\" must be a whole number from 1 to 100")]
    [InlineData("""{"type":"history","id":"x","room":"ROOM","before":0}""", "bad_request", "\"before\" must be a whole number of at least 1")]
    [InlineData("""{"type":"history","id":"x"}""", "bad_request", "\"history\" needs exactly one of \"room\" or \"user\":true")]
    [InlineData("""{"type":"history","id":"x","user":"bob"}""", "bad_request", "\"history\" needs exactly one of \"room\" or \"user\":true")]
    public async Task A_history_request_that_is_not_allowed_or_not_valid_gets_a_clear_error(string frame, string code, string message)
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        await alice.SendAsync(frame.Replace("ROOM", room, StringComparison.Ordinal));
        var error = await alice.ReplyToAsync("x");

        Assert.Equal(("error", code, message.Replace("ROOM", room, StringComparison.Ordinal)), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("message").GetString()));
    }

    private static async Task<JsonElement> HistoryAsync(TestClient client, object request)
    {
        await client.SendAsync(request);
        return await client.ExpectAsync(frame => frame.GetProperty("type").GetString() is "history" or "error", "the history answer");
    }

}
