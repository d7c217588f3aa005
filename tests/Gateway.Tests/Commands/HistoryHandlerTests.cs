using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Commands;

/// <summary><c>history</c>, and what joins and leaves record in the connection's session.</summary>
public sealed class HistoryHandlerTests : CommandHarness
{
    [Fact]
    public async Task A_member_reads_the_rooms_newest_messages_oldest_first()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        await HandleAsync(alice, """{"type":"join","id":"j","room":"lobby"}""");
        await alice.ReceiveAsync();
        for (var i = 1; i <= 4; i++)
        {
            _history.Append("room:lobby", "e1", Message($"m{i}", MessageTarget.Room("lobby")));
        }

        await HandleAsync(alice, """{"type":"history","id":"h","room":"lobby","limit":2,"before":4}""");

        using var answer = JsonDocument.Parse((await alice.ReceiveAsync()).Text);
        var root = answer.RootElement;
        Assert.Equal(("history", "h", "room:lobby", "e1"), (root.GetProperty("type").GetString(), root.GetProperty("id").GetString(), root.GetProperty("stream").GetString(), root.GetProperty("epoch").GetString()));
        Assert.Equal(["m2", "m3"], root.GetProperty("messages").EnumerateArray().Select(message => message.GetProperty("message").GetString()));
        Assert.Equal([2L, 3L], root.GetProperty("messages").EnumerateArray().Select(message => message.GetProperty("offset").GetInt64()));
    }

    [Fact]
    public async Task The_callers_own_stream_is_their_users()
    {
        await using var bob = await ConnectAsync("c-bob", "bob");
        _history.Append("user:bob", "e9", Message("m1", MessageTarget.User("bob")));
        _history.Append("user:carol", "e9", Message("m2", MessageTarget.User("carol")));

        await HandleAsync(bob, """{"type":"history","id":1,"user":true}""");

        using var answer = JsonDocument.Parse((await bob.ReceiveAsync()).Text);
        Assert.Equal("user:bob", answer.RootElement.GetProperty("stream").GetString());
        Assert.Equal(["m1"], answer.RootElement.GetProperty("messages").EnumerateArray().Select(message => message.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_stream_with_nothing_stored_answers_no_messages_and_no_epoch()
    {
        await using var bob = await ConnectAsync("c-bob", "bob");

        await HandleAsync(bob, """{"type":"history","id":1,"user":true}""");

        Assert.Equal("""{"type":"history","id":1,"stream":"user:bob","epoch":"","messages":[]}""", (await bob.ReceiveAsync()).Text);
    }

    [Fact]
    public async Task A_room_the_connection_is_not_in_is_forbidden()
    {
        await using var bob = await ConnectAsync("c-bob", "bob");
        _history.Append("room:staff", "e1", Message("m1", MessageTarget.Room("staff")));

        await HandleAsync(bob, """{"type":"history","id":"h","room":"staff"}""");

        Assert.Equal("""{"type":"error","id":"h","code":"forbidden","message":"join room staff before reading its history"}""", (await bob.ReceiveAsync()).Text);
    }

    [Fact]
    public async Task History_that_cannot_be_read_is_unavailable()
    {
        await using var bob = await ConnectAsync("c-bob", "bob");
        _history.Fail = true;

        await HandleAsync(bob, """{"type":"history","id":"h","user":true}""");

        Assert.Equal("""{"type":"error","id":"h","code":"unavailable","message":"history is unavailable"}""", (await bob.ReceiveAsync()).Text);
    }

    [Fact]
    public async Task A_join_records_where_the_session_starts_in_the_room_before_presence_is_asked_and_a_leave_forgets_it()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        var recordedWhenAsked = false;
        _presence.OnJoin = (_, _) =>
        {
            recordedWhenAsked = _sessions.Calls.Contains("join c-alice lobby");
            return Task.FromResult(true);
        };

        await HandleAsync(alice, """{"type":"join","id":"j","room":"lobby"}""");
        await HandleAsync(alice, """{"type":"leave","id":"l","room":"lobby"}""");

        Assert.True(recordedWhenAsked);
        Assert.Equal(["join c-alice lobby", "leave c-alice lobby"], _sessions.Calls);
    }

    [Fact]
    public async Task A_join_presence_refuses_is_forgotten_by_the_session()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _presence.OnJoin = (_, _) => Task.FromResult(false);

        await HandleAsync(alice, """{"type":"join","id":"j","room":"lobby"}""");

        Assert.Equal(["join c-alice lobby", "leave c-alice lobby"], _sessions.Calls);
        Assert.Contains("\"code\":\"unavailable\"", (await alice.ReceiveAsync()).Text);
    }

    [Fact]
    public async Task A_join_whose_session_cannot_be_updated_is_unavailable_and_not_joined()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _sessions.Fail = true;

        await HandleAsync(alice, """{"type":"join","id":"j","room":"lobby"}""");

        Assert.Equal("""{"type":"error","id":"j","code":"unavailable","message":"the message bus is unavailable; not joined"}""", (await alice.ReceiveAsync()).Text);
        Assert.False(_connections.IsMember(alice.Connection, "lobby"));
        Assert.Empty(_presence.Of("join"));
    }

    private static Delivery Message(string id, MessageTarget target) =>
        new(id, 1_700_000_000_000, "carol", "c-carol", target, "\"hi\""u8.ToArray(), null);
}
