using ChatPlatform.Contracts;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Failover;

[Collection(DisruptionCollection.Name)]
public sealed class PresenceFailureTests(DisruptionFixture fixture) : IAsyncLifetime
{
    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var presence in Stack.Presences.Where(presence => !presence.IsRunning))
        {
            presence.Start();
            await presence.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task Concurrent_joins_and_leaves_through_two_presence_replicas_leave_the_room_consistent()
    {
        const int Members = 40;
        var room = Names.Unique("busy");
        await using var watcher = await Stack.ConnectAsync(0, Names.Unique("watcher"));
        await RoomTests.JoinAsync(watcher, room);
        var members = await Task.WhenAll(Enumerable.Range(0, Members).Select(i => Stack.ConnectAsync(i % 2, $"u{i}-{room}")));
        try
        {
            // Every join and every leave at once: the two replicas take them in any order.
            await Task.WhenAll(members.Select(member => RoomTests.JoinAsync(member, room)));
            var leaving = members.Where((_, i) => i % 2 == 0).ToList();
            await Task.WhenAll(leaving.Select(member => LeaveAsync(member, room)));

            var staying = members.Except(leaving).Select(member => member.User).Append(watcher.User).Order(StringComparer.Ordinal).ToList();
            await watcher.SendAsync(new { type = "presence", id = "who", room });
            var answer = await watcher.ExpectAsync(frame => frame.GetProperty("type").GetString() == "presence", "the answer");
            Assert.Equal(staying, answer.GetProperty("users").EnumerateArray().Select(user => user.GetString()!));

            var database = fixture.Redis.GetDatabase();
            Assert.Equal(staying.Count, await database.HashLengthAsync(RedisNames.RoomMembers(room)));
            Assert.Equal(staying.Count, await database.HashLengthAsync(RedisNames.RoomUsers(room)));
            Assert.Equal(staying.Count, (await database.HashValuesAsync(RedisNames.RoomGateways(room))).Sum(count => (long)count));

            // The watcher saw each user join once, and each leaver leave once.
            await Task.Delay(500);
            var events = watcher.Pending().Where(frame => frame.GetProperty("type").GetString() is "joined" or "left").ToList();
            Assert.Equal(Members, events.Count(frame => frame.GetProperty("type").GetString() == "joined"));
            Assert.Equal(
                leaving.Select(member => member.User).Order(StringComparer.Ordinal),
                events.Where(frame => frame.GetProperty("type").GetString() == "left").Select(frame => frame.GetProperty("user").GetString()!).Order(StringComparer.Ordinal));
            Assert.Equal(Members / 2, (await watcher.SendAndWaitAsync(new { room }, "still here")).GetProperty("recipients").GetInt32());
        }
        finally
        {
            await Task.WhenAll(members.Select(member => member.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task Rooms_survive_a_restart_of_every_presence_replica_and_keep_chatting_meanwhile()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);

        await Task.WhenAll(Stack.Presences.Select(presence => presence.StopAsync(TimeSpan.FromSeconds(30))));

        // The data plane does not need presence: the room still routes while it is down.
        Assert.Equal(1, (await alice.SendAndWaitAsync(new { room }, "presence is down")).GetProperty("recipients").GetInt32());
        Assert.Equal("\"presence is down\"", (await bob.ExpectAsync("message")).GetProperty("body").GetRawText());

        foreach (var presence in Stack.Presences)
        {
            presence.Start();
        }

        await Task.WhenAll(Stack.Presences.Select(presence => presence.WaitReadyAsync(TimeSpan.FromSeconds(60))));
        await alice.SendAsync(new { type = "presence", id = "who", room });
        var answer = await alice.ExpectAsync(frame => frame.GetProperty("type").GetString() == "presence", "the answer");
        Assert.Equal(new[] { alice.User, bob.User }.Order(StringComparer.Ordinal), answer.GetProperty("users").EnumerateArray().Select(user => user.GetString()!));

        await LeaveAsync(bob, room);
        Assert.Equal(RoomTests.Event("left", room, bob.User), (await alice.ExpectAsync("left", TimeSpan.FromSeconds(15))).GetRawText());
    }

    private static async Task LeaveAsync(TestClient client, string room)
    {
        var id = Guid.NewGuid().ToString("N");
        await client.SendAsync(new { type = "leave", id, room });
        Assert.Equal("ack", (await client.ReplyToAsync(id, TimeSpan.FromSeconds(15))).GetProperty("type").GetString());
    }
}
