using System.Net.WebSockets;
using System.Text;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Connections;

/// <summary>A resuming connection holds live frames while what it missed is sent, then lets them through without the ones already sent.</summary>
public sealed class HeldFramesTests
{
    [Fact]
    public async Task Held_frames_follow_the_recovered_ones_and_the_end_of_recovery_without_repeats()
    {
        var connection = new ClientConnection("c-1", "bob", 64, TimeSpan.FromSeconds(30));
        connection.HoldLive();

        Assert.True(connection.TrySend(Frame("live room 3"), Position("room:lobby", "e1", 3)));
        Assert.True(connection.TrySend(Frame("joined")));
        Assert.True(connection.TrySend(Frame("live room 4"), Position("room:lobby", "e1", 4)));
        Assert.True(connection.TrySend(Frame("live room 2, new epoch"), Position("room:lobby", "e2", 2)));
        Assert.True(connection.TrySend(Frame("live user 8"), Position("user:bob", "e1", 8)));
        await connection.SendRecoveredAsync(Frame("recovered room 3"), CancellationToken.None);
        connection.ReleaseHeld(
            new Dictionary<string, HistoryPosition> { ["room:lobby"] = Position("room:lobby", "e1", 3) },
            Frame("recovered"));
        Assert.True(connection.TrySend(Frame("live room 5"), Position("room:lobby", "e1", 5)));

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        string[] expected = ["recovered room 3", "recovered", "joined", "live room 4", "live room 2, new epoch", "live user 8", "live room 5"];
        foreach (var frame in expected)
        {
            Assert.Equal(frame, Encoding.UTF8.GetString((await client.ReceiveAsync()).Data));
        }
    }

    [Fact]
    public async Task A_recovered_message_whose_live_copy_comes_after_the_end_of_recovery_is_not_sent_again()
    {
        // The router published offset 110 before the recovery read it, but the gateway's
        // subscription handed it to the connection only after the hold had ended.
        var connection = new ClientConnection("c-1", "bob", 64, TimeSpan.FromSeconds(30));
        connection.HoldLive();
        await connection.SendRecoveredAsync(Frame("recovered user 110"), CancellationToken.None);
        connection.ReleaseHeld(
            new Dictionary<string, HistoryPosition> { ["user:bob"] = Position("user:bob", "e1", 110) },
            Frame("recovered"));

        Assert.True(connection.TrySend(Frame("live user 110"), Position("user:bob", "e1", 110)));
        Assert.True(connection.TrySend(Frame("live user 111"), Position("user:bob", "e1", 111)));
        Assert.True(connection.TrySend(Frame("live user 3, new epoch"), Position("user:bob", "e2", 3)));
        Assert.True(connection.TrySend(Frame("live room 7"), Position("room:lobby", "e1", 7)));

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        string[] expected = ["recovered user 110", "recovered", "live user 111", "live user 3, new epoch", "live room 7"];
        foreach (var frame in expected)
        {
            Assert.Equal(frame, Encoding.UTF8.GetString((await client.ReceiveAsync()).Data));
        }
    }

    [Fact]
    public async Task Frames_sent_while_the_held_ones_are_released_go_after_all_of_them()
    {
        const int Held = 20_000;
        const int MaxLate = 100_000;
        var connection = new ClientConnection("c-1", "bob", 2 * Held + 4 * MaxLate, TimeSpan.FromSeconds(30));
        connection.HoldLive();
        for (var i = 0; i < Held; i++)
        {
            connection.TrySend(Frame($"held {i}"));
        }

        // Two other threads deliver live frames, each in its own order, from before the release
        // until after it: one of them arrives fresh while the release runs.
        using var started = new CountdownEvent(2);
        var released = 0;
        Task<int> Sender(string name) => Task.Factory.StartNew(
            () =>
            {
                var sent = 0;
                for (var after = 0; sent < MaxLate && after < 100; sent++)
                {
                    connection.TrySend(Frame($"{name} {sent}"));
                    if (sent == 0)
                    {
                        started.Signal();
                    }

                    after += Volatile.Read(ref released);

                    // Not always waiting on the connection's lock: a frame must also arrive fresh while the release runs.
                    Thread.SpinWait(200);
                }

                return sent;
            },
            TaskCreationOptions.LongRunning);
        var senders = new[] { Sender("a"), Sender("b") };
        started.Wait();
        connection.ReleaseHeld(new Dictionary<string, HistoryPosition>(), Frame("recovered"));
        Volatile.Write(ref released, 1);
        var counts = await Task.WhenAll(senders);

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        var frames = new List<string>();
        for (var i = 0; i < Held + counts.Sum() + 1; i++)
        {
            frames.Add(Encoding.UTF8.GetString((await client.ReceiveAsync()).Data));
        }

        string[] first = ["recovered", .. Enumerable.Range(0, Held).Select(i => $"held {i}")];
        Assert.Equal(first, frames.Take(Held + 1));
        Assert.Equal(Enumerable.Range(0, counts[0]).Select(i => $"a {i}"), frames.Where(frame => frame.StartsWith("a ", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(0, counts[1]).Select(i => $"b {i}"), frames.Where(frame => frame.StartsWith("b ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_connection_that_lets_more_than_its_queue_be_held_is_closed()
    {
        var connection = new ClientConnection("c-1", "bob", 4, TimeSpan.FromSeconds(30));
        connection.HoldLive();

        for (var i = 0; i < 4; i++)
        {
            Assert.True(connection.TrySend(Frame($"{i}")));
        }

        Assert.False(connection.TrySend(Frame("one too many")));
        Assert.True(connection.IsClosing);
        Assert.Equal(((int)WebSocketCloseStatus.PolicyViolation).ToString(System.Globalization.CultureInfo.InvariantCulture), connection.CloseDescription);
    }

    [Fact]
    public void Without_holding_frames_are_queued_at_once_and_release_changes_nothing()
    {
        var connection = new ClientConnection("c-1", "bob", 2, TimeSpan.FromSeconds(30));

        Assert.True(connection.TrySend(Frame("a"), Position("room:lobby", "e1", 1)));
        connection.ReleaseHeld(new Dictionary<string, HistoryPosition>(), Frame("recovered"));
        Assert.True(connection.TrySend(Frame("b")));

        // The queue holds two: the release queued nothing.
        Assert.False(connection.TrySend(Frame("c")));
    }

    private static HistoryPosition Position(string stream, string epoch, long offset) => new(stream, epoch, offset);

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);
}
