using System.Net.WebSockets;
using ChatPlatform.Client.Events;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Reconnect;

/// <summary>Reconnects that resume the last session, against the real stack.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class ResumeTests(ClientStackFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(30);

    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.RestoreAsync();

    [Fact]
    public async Task After_its_gateway_restarts_the_client_gets_what_it_missed_once_and_in_order_and_is_back_in_its_rooms()
    {
        var room = Names.Unique("room");
        var aliceName = Names.Unique("alice");
        await using var alice = await fixture.ConnectAsync(1, aliceName, Fast);
        await using var bob = await fixture.ConnectAsync(0, Names.Unique("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        var before = await bob.Client.SendToRoomAsync(room, "before");
        var live = await alice.ExpectAsync<MessageReceived>(message => message.MessageId == before.MessageId);
        Assert.Equal(($"room:{room}", 1L, false), (live.Stream, live.Offset!.Value, live.Recovered));

        await Stack.Gateways[1].StopAsync(StopTimeout);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await alice.ExpectAsync<Disconnected>()).CloseStatus);
        await bob.ExpectAsync<UserLeft>();
        var missed = new List<SendResult>();
        for (var n = 1; n <= 3; n++)
        {
            missed.Add(await bob.Client.SendToRoomAsync(room, $"missed {n}"));
        }

        // Alice has no connection, but her session is inside its recovery window.
        var direct = await bob.Client.SendToUserAsync(aliceName, "while you were away");

        Stack.Gateways[1].Start();
        await Stack.Gateways[1].WaitReadyAsync(TimeSpan.FromSeconds(60));
        var recovered = await alice.ExpectAsync<Recovered>(timeout: ReconnectBound);
        var reconnected = await alice.ExpectAsync<Reconnected>();
        var after = await bob.Client.SendToRoomAsync(room, "after");
        var afterReceived = await alice.ExpectAsync<MessageReceived>(message => message.MessageId == after.MessageId);

        Assert.All(missed, sent => Assert.Equal((0, true), (sent.Recipients, sent.Stored)));
        Assert.Equal((0, true), (direct.Recipients, direct.Stored));
        Assert.True(recovered.Complete);
        Assert.Equal([room], recovered.Rooms);
        Assert.Equal(4, recovered.Messages);
        Assert.Equal([room], reconnected.Rooms);
        Assert.Equal([room], alice.Client.Rooms);

        var messages = alice.History.Select(entry => entry.Event).OfType<MessageReceived>().ToList();
        var inRoom = messages.Where(message => message.Stream == $"room:{room}").ToList();
        Assert.Equal(["before", "missed 1", "missed 2", "missed 3", "after"], inRoom.Select(message => message.BodyAs<string>()));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], inRoom.Select(message => message.Offset!.Value));
        Assert.Equal([false, true, true, true, false], inRoom.Select(message => message.Recovered));
        Assert.Equal(missed.Select(sent => sent.MessageId), inRoom.Skip(1).Take(3).Select(message => message.MessageId));
        var directReceived = Assert.Single(messages, message => message.Stream == $"user:{aliceName}");
        Assert.Equal((direct.MessageId, true), (directReceived.MessageId, directReceived.Recovered));
        Assert.Equal(ChatTarget.User(aliceName), directReceived.To);
        Assert.False(afterReceived.Recovered);

        // The recovered messages and the summary come before the client is back.
        var events = alice.History.Select(entry => entry.Event).ToList();
        Assert.True(events.IndexOf(recovered) > events.IndexOf(directReceived));
        Assert.True(events.IndexOf(recovered) < events.IndexOf(reconnected));

        // Messages flow both ways again.
        Assert.Equal(1, (await alice.Client.SendToRoomAsync(room, "back")).Recipients);
        Assert.Equal("back", (await bob.ExpectAsync<MessageReceived>(message => message.FromUser == aliceName)).BodyAs<string>());
    }

    [Fact]
    public async Task A_client_that_moves_to_the_other_gateway_gets_each_message_sent_meanwhile_exactly_once_and_in_order()
    {
        const int Count = 30;
        var room = Names.Unique("room");
        await using var alice = await fixture.ConnectAsync([1, 0], Names.Unique("alice"), Fast);
        await using var bob = await fixture.ConnectAsync(0, Names.Unique("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        // Sent before, during and after the move, however the client's drop and resume fall between them.
        var stopping = Stack.Gateways[1].StopAsync(StopTimeout);
        var sent = new List<SendResult>();
        for (var n = 1; n <= Count; n++)
        {
            sent.Add(await bob.Client.SendToRoomAsync(room, n));
            await Task.Delay(40);
        }

        await stopping;
        var reconnected = await alice.ExpectAsync<Reconnected>(timeout: ReconnectBound);
        await alice.ExpectAsync<MessageReceived>(message => message.MessageId == sent[^1].MessageId, ReconnectBound);

        Assert.Equal("gateway-1", reconnected.Session.Gateway);
        Assert.Equal([room], reconnected.Rooms);
        Assert.True((await alice.ExpectAsync<Recovered>()).Complete);
        var received = alice.History.Select(entry => entry.Event).OfType<MessageReceived>().ToList();
        Assert.Equal(sent.Select(result => result.MessageId), received.Select(message => message.MessageId));
        Assert.Equal(Enumerable.Range(1, Count), received.Select(message => message.BodyAs<int>()));
        Assert.Equal(Enumerable.Range(1, Count).Select(n => (long)n), received.Select(message => message.Offset!.Value));
    }

    private static void Fast(ChatClientOptions options)
    {
        options.ReconnectInitialDelay = TimeSpan.FromMilliseconds(100);
        options.ReconnectMaxDelay = TimeSpan.FromSeconds(1);
    }
}
