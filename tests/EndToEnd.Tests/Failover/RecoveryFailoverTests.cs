using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
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
        await JoinAsync(alice, room);
        await JoinAsync(bob, room);
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

    private static async Task JoinAsync(TestClient client, string room)
    {
        await client.SendAsync(new { type = "join", id = $"join-{room}", room });
        await client.ReplyToAsync($"join-{room}");
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
