using System.Text.Json;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.History;

/// <summary>Resuming a session on real sockets (docs/protocol.md, "Resuming a connection").</summary>
[Collection(StackCollection.Name)]
public sealed class RecoveryTests(StackFixture fixture, ITestOutputHelper output)
{
    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task A_client_that_drops_while_200_messages_are_sent_to_it_resumes_on_the_other_gateway_and_gets_each_once_in_order()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(1, Names.Unique("alice"));
        await using var carol = await Stack.ConnectAsync(1, Names.Unique("carol"));
        await using var dave = await Stack.ConnectAsync(1, Names.Unique("dave"));
        var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        foreach (var member in new[] { alice, dave, bob })
        {
            await RoomTests.JoinAsync(member, room);
        }

        // One message arrives live, so bob has a position to resume the room from.
        await alice.SendAndWaitAsync(new { room }, "before");
        var before = await bob.ExpectAsync(Resume.IsMessage, "the live message");
        var roomStream = HistoryStreams.OfRoom(room);
        Assert.Equal((roomStream, 1L), (Resume.Stream(before), Resume.Offset(before)));
        var session = Resume.Session(bob);
        bob.Abort();
        await bob.DisposeAsync();

        // 100 to the room and 100 to bob, sent side by side while he is away.
        var toRoom = SendAllAsync(alice, new { room }, "room", 100);
        var toBob = SendAllAsync(carol, new { user = bob.User }, "direct", 100);
        var acks = (await toRoom).Concat(await toBob).ToList();
        Assert.All(acks, ack => Assert.True(ack.GetProperty("stored").GetBoolean(), ack.GetRawText()));

        // More room messages go on while he resumes: the hand-over from recovered to live.
        var during = SendAllAsync(dave, new { room }, "during", 30);
        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 1, bob.User, session, (roomStream, 1)));
        await during;
        var recovered = await resumed.ExpectAsync(Resume.IsRecovered, "the recovered frame", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(
            () => Task.FromResult(resumed.Pending().Count(frame => Resume.IsMessage(frame) && Resume.Stream(frame) == roomStream) >= 130),
            TimeSpan.FromSeconds(10),
            "every room message reached the resumed connection");

        Assert.Equal([room], recovered.GetProperty("rooms").EnumerateArray().Select(name => name.GetString()));
        Assert.True(recovered.GetProperty("complete").GetBoolean());
        var messages = resumed.TakeAll(Resume.IsMessage);
        var userStream = HistoryStreams.OfUser(bob.User);
        var direct = messages.Where(frame => Resume.Stream(frame) == userStream).ToList();
        var inRoom = messages.Where(frame => Resume.Stream(frame) == roomStream).ToList();

        // Each offset once, in order, with nothing missing: 1-100 of his own stream, 2-131 of the room's.
        Assert.Equal(Enumerable.Range(1, 100).Select(offset => (long)offset), direct.Select(Resume.Offset));
        Assert.Equal(Enumerable.Range(2, 130).Select(offset => (long)offset), inRoom.Select(Resume.Offset));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"direct {i}"), direct.Select(frame => frame.GetProperty("body").GetString()));
        Assert.All(direct, frame => Assert.True(Resume.WasRecovered(frame)));
        // Recovered first, then live: some of the 30 sent during the resume may be among the recovered.
        var recoveredInRoom = inRoom.Count(Resume.WasRecovered);
        Assert.InRange(recoveredInRoom, 100, 130);
        Assert.All(inRoom.Take(recoveredInRoom), frame => Assert.True(Resume.WasRecovered(frame)));
        Assert.Equal(recovered.GetProperty("messages").GetInt32(), messages.Count(Resume.WasRecovered));
        output.WriteLine($"recovered {messages.Count(Resume.WasRecovered)}, then {messages.Count(frame => !Resume.WasRecovered(frame))} live");
    }

    [Fact]
    public async Task Recovered_messages_come_before_the_recovered_frame_and_live_ones_after_it()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);
        var session = Resume.Session(bob);
        await bob.CloseAsync();
        await bob.DisposeAsync();
        await SendAllAsync(alice, new { room }, "missed", 3);

        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 1, bob.User, session));
        await Eventually.HoldsAsync(() => Task.FromResult(resumed.Pending().Any(Resume.IsRecovered)), TimeSpan.FromSeconds(10), "the recovered frame arrived");
        await alice.SendAndWaitAsync(new { room }, "live");
        await Eventually.HoldsAsync(() => Task.FromResult(resumed.Pending().Count(Resume.IsMessage) == 4), TimeSpan.FromSeconds(10), "the live message arrived");

        var frames = resumed.TakeAll(_ => true);
        Assert.Equal(
            ["missed 0 (recovered)", "missed 1 (recovered)", "missed 2 (recovered)", "recovered", "live"],
            frames.Select(frame => Resume.IsRecovered(frame) ? "recovered" : frame.GetProperty("body").GetString() + (Resume.WasRecovered(frame) ? " (recovered)" : "")));
    }

    [Fact]
    public async Task A_connection_that_sent_to_its_room_does_not_get_its_own_messages_back()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);
        var session = Resume.Session(bob);
        await bob.SendAndWaitAsync(new { room }, "mine");
        bob.Abort();
        await bob.DisposeAsync();
        await alice.SendAndWaitAsync(new { room }, "theirs");

        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 1, bob.User, session));
        var recovered = await resumed.ExpectAsync(Resume.IsRecovered, "the recovered frame");

        var messages = resumed.TakeAll(Resume.IsMessage);
        Assert.Equal(["theirs"], messages.Select(frame => frame.GetProperty("body").GetString()));
        Assert.Equal(1, recovered.GetProperty("messages").GetInt32());
        Assert.True(recovered.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task A_client_that_resumes_after_its_stream_was_trimmed_is_told_it_is_incomplete()
    {
        var (room, alice, bob, session) = await MemberWhoDroppedAsync();
        await using var stayed = alice;
        await SendAllAsync(alice, new { room }, "missed", 5);

        // What History:MaxLength does on each append, done here at once instead of sending 1,000 more.
        await fixture.Redis.GetDatabase().StreamTrimAsync(RedisNames.HistoryLog(HistoryStreams.OfRoom(room)), 2);

        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 1, bob.User, session));
        var recovered = await resumed.ExpectAsync(Resume.IsRecovered, "the recovered frame");

        Assert.False(recovered.GetProperty("complete").GetBoolean());
        Assert.Equal([room], recovered.GetProperty("rooms").EnumerateArray().Select(name => name.GetString()));
        var messages = resumed.TakeAll(Resume.IsMessage);
        Assert.Equal([4L, 5L], messages.Select(Resume.Offset));
        Assert.Equal(2, recovered.GetProperty("messages").GetInt32());
    }

    [Fact]
    public async Task A_client_whose_stream_was_lost_is_told_it_is_incomplete()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);
        await alice.SendAndWaitAsync(new { room }, "first");
        await bob.ExpectAsync(Resume.IsMessage, "the first message");
        var session = Resume.Session(bob);
        bob.Abort();
        await bob.DisposeAsync();

        // As if Redis lost the stream: the next message starts a new epoch.
        var stream = HistoryStreams.OfRoom(room);
        await fixture.Redis.GetDatabase().KeyDeleteAsync([RedisNames.HistoryMeta(stream), RedisNames.HistoryLog(stream)]);
        await alice.SendAndWaitAsync(new { room }, "second");

        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 1, bob.User, session, (stream, 1)));
        var recovered = await resumed.ExpectAsync(Resume.IsRecovered, "the recovered frame");

        Assert.False(recovered.GetProperty("complete").GetBoolean());
        Assert.Equal([room], recovered.GetProperty("rooms").EnumerateArray().Select(name => name.GetString()));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_or_forged_session_gets_a_fresh_one_and_an_incomplete_recovery(string session)
    {
        await using var client = await TestClient.ConnectAsync(Resume.Uri(Stack, 0, Names.Unique("mallory"), session));

        var recovered = await client.ExpectAsync(Resume.IsRecovered, "the recovered frame");

        Assert.Equal("""{"type":"recovered","rooms":[],"messages":0,"complete":false}""", recovered.GetRawText());
        Assert.NotEqual(session, Resume.Session(client));
        Assert.Equal("ack", (await client.SendAndWaitAsync(new { user = client.User }, "still works")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Another_users_session_is_refused_like_an_unknown_one_and_gives_nothing_away()
    {
        var (room, alice, bob, session) = await MemberWhoDroppedAsync();
        await using var stayed = alice;
        await alice.SendAndWaitAsync(new { room }, "for members only");
        await alice.SendAndWaitAsync(new { user = bob.User }, "for bob only");

        await using var mallory = await TestClient.ConnectAsync(Resume.Uri(Stack, 1, Names.Unique("mallory"), session));
        var recovered = await mallory.ExpectAsync(Resume.IsRecovered, "the recovered frame");

        Assert.Equal("""{"type":"recovered","rooms":[],"messages":0,"complete":false}""", recovered.GetRawText());
        Assert.Empty(mallory.TakeAll(Resume.IsMessage));
        await alice.SendAsync(new { type = "presence", id = "p", room });
        var members = await alice.ExpectAsync(frame => frame.GetProperty("type").GetString() == "presence", "the room's members");
        Assert.DoesNotContain(mallory.User, members.GetProperty("users").EnumerateArray().Select(user => user.GetString()));
    }


    /// <summary>Alice and Bob in a new room, both on gateway 1; Bob's connection then dropped (his session to resume, his name, and nothing else of him left).</summary>
    private async Task<(string Room, TestClient Alice, TestClient Bob, string Session)> MemberWhoDroppedAsync()
    {
        var room = Names.Unique("room");
        var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);
        var session = Resume.Session(bob);
        bob.Abort();
        await bob.DisposeAsync();
        return (room, alice, bob, session);
    }

    /// <summary>Sends <paramref name="count"/> messages one after the other, each after the last one's answer (so within the rate limit's burst and refill), and returns the acks.</summary>
    private static async Task<List<JsonElement>> SendAllAsync(TestClient sender, object to, string prefix, int count)
    {
        var acks = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            var reply = await sender.SendAndWaitAsync(to, $"{prefix} {i}");
            if (reply.GetProperty("type").GetString() == "error" && reply.GetProperty("code").GetString() == "rate_limited")
            {
                await Task.Delay(100);
                i--;
                continue;
            }

            Assert.Equal("ack", reply.GetProperty("type").GetString());
            acks.Add(reply);
        }

        return acks;
    }
}
