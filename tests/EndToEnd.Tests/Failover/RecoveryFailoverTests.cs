using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Failover;

/// <summary>A gateway killed under load: its users resume on the other gateway and lose nothing that was acked.</summary>
[Collection(DisruptionCollection.Name)]
public sealed class RecoveryFailoverTests(DisruptionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(100);

    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in Stack.Gateways.Where(gateway => !gateway.IsRunning))
        {
            gateway.Start();
            await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task Users_of_a_killed_gateway_resume_on_the_other_and_get_every_acked_message_once_in_order()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var carol = await Stack.ConnectAsync(0, Names.Unique("carol"));
        var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);
        var session = Resume.Session(bob);
        var roomStream = HistoryStreams.OfRoom(room);
        var userStream = HistoryStreams.OfUser(bob.User);

        // Both keep sending, each message after the last one's answer, until told to stop (at most 40 s).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var toRoom = SendUntilAsync(alice, new { room }, stop.Token);
        var toBob = SendUntilAsync(carol, new { user = bob.User }, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(2));
        await Stack.Gateways[1].KillAsync();
        var before = bob.TakeAll(Resume.IsMessage);
        await bob.DisposeAsync();
        output.WriteLine($"bob got {before.Count} messages before his gateway was killed");

        // His client notices and comes back on the other gateway, from the last offsets it got.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var since = before.GroupBy(Resume.Stream).Select(stream => (stream.Key!, stream.Max(Resume.Offset))).ToArray();
        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 0, bob.User, session, since), TimeSpan.FromSeconds(30));
        var recovered = await resumed.ExpectAsync(Resume.IsRecovered, "the recovered frame", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        var roomAcks = await toRoom;
        var bobAcks = await toBob;
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = resumed.TakeAll(Resume.IsMessage);

        Assert.True(recovered.GetProperty("complete").GetBoolean(), recovered.GetRawText());
        Assert.Equal([room], recovered.GetProperty("rooms").EnumerateArray().Select(name => name.GetString()));
        var received = before.Concat(after).ToList();
        foreach (var (stream, acks) in new[] { (roomStream, roomAcks), (userStream, bobAcks) })
        {
            var got = received.Where(frame => Resume.Stream(frame) == stream).ToList();
            var offsets = got.Select(Resume.Offset).ToList();
            Assert.Equal(offsets.Distinct().Order(), offsets);
            var ids = got.Select(frame => frame.GetProperty("message").GetString()).ToHashSet();
            var missing = acks.Where(id => !ids.Contains(id)).ToList();
            Assert.True(missing.Count == 0, $"{stream}: {missing.Count} of {acks.Count} acked messages never arrived");
            output.WriteLine($"{stream}: {acks.Count} acked, {got.Count} received ({got.Count(Resume.WasRecovered)} recovered)");
        }
    }

    [Fact]
    public async Task After_Redis_restarts_empty_a_resume_is_incomplete_and_streams_start_a_new_epoch()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var carol = await Stack.ConnectAsync(1, Names.Unique("carol"));
        var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        foreach (var member in new[] { alice, carol, bob })
        {
            await RoomTests.JoinAsync(member, room);
        }

        await alice.SendAndWaitAsync(new { room }, "before");
        var before = await HistoryAsync(carol, room);
        var session = Resume.Session(bob);
        bob.Abort();
        await bob.DisposeAsync();

        await Stack.Redis.KillAsync();
        await Stack.Redis.StartAsync();
        var back = await Eventually.HoldsAsync(
            async () =>
            {
                var reply = await alice.SendAndWaitAsync(new { room }, "after", TimeSpan.FromSeconds(15));
                return reply.GetProperty("type").GetString() == "ack" && reply.GetProperty("recipients").GetInt32() == 1;
            },
            TimeSpan.FromSeconds(30),
            "room messages reach carol again");
        output.WriteLine($"routing again {back.TotalMilliseconds:0} ms after Redis came back");

        // The room's stream started again: a new epoch, offsets from 1.
        var after = await HistoryAsync(carol, room);
        Assert.NotEqual(before.GetProperty("epoch").GetString(), after.GetProperty("epoch").GetString());
        Assert.Equal([1L], before.GetProperty("messages").EnumerateArray().Select(Resume.Offset));
        Assert.Equal(1L, Resume.Offset(after.GetProperty("messages")[0]));
        Assert.All(after.GetProperty("messages").EnumerateArray(), message => Assert.Equal("after", message.GetProperty("body").GetString()));

        await using var resumed = await TestClient.ConnectAsync(Resume.Uri(Stack, 0, bob.User, session, (HistoryStreams.OfRoom(room), 1)));
        var recovered = await resumed.ExpectAsync(Resume.IsRecovered, "the recovered frame");
        Assert.Equal("""{"type":"recovered","rooms":[],"messages":0,"complete":false}""", recovered.GetRawText());
        Assert.NotEqual(session, Resume.Session(resumed));
    }

    private static async Task<JsonElement> HistoryAsync(TestClient client, string room)
    {
        var id = Guid.NewGuid().ToString("N");
        await client.SendAsync(new { type = "history", id, room });
        return await client.ExpectAsync(frame => frame.GetProperty("type").GetString() == "history" && frame.GetProperty("id").GetString() == id, "the history answer");
    }


    /// <returns>The ids of the messages acked.</returns>
    private static async Task<List<string>> SendUntilAsync(TestClient sender, object to, CancellationToken stop)
    {
        var acked = new List<string>();
        for (var i = 0; i < 1_000 && !stop.IsCancellationRequested; i++)
        {
            var reply = await sender.SendAndWaitAsync(to, $"n{i}", TimeSpan.FromSeconds(15));
            if (reply.GetProperty("type").GetString() == "ack")
            {
                acked.Add(reply.GetProperty("message").GetString()!);
            }

            await Task.Delay(SendInterval, CancellationToken.None);
        }

        return acked;
    }
}
