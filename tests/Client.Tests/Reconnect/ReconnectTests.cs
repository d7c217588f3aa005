using System.Diagnostics;
using System.Net.WebSockets;
using ChatPlatform.Client.Events;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.Client.Tests.Reconnect;

[Collection(ClientStackCollection.Name)]
public sealed class ReconnectTests(ClientStackFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(30);

    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.RestoreAsync();

    [Fact]
    public async Task After_its_gateway_restarts_the_client_reconnects_to_it_and_is_back_in_its_rooms()
    {
        var room = Names.Unique("room");
        var otherRoom = Names.Unique("room");
        var aliceName = Names.Unique("alice");
        await using var alice = await fixture.ConnectAsync(1, aliceName, Fast);
        await using var bob = await fixture.ConnectAsync(0, Names.Unique("bob"));
        await using var carol = await fixture.ConnectAsync(1, Names.Unique("carol"));
        await alice.Client.JoinAsync(room);
        await alice.Client.JoinAsync(otherRoom);
        await bob.Client.JoinAsync(room);
        var before = alice.Client.Session;

        var clock = Stopwatch.StartNew();
        await Stack.Gateways[1].StopAsync(StopTimeout);
        var stopped = clock.Elapsed;
        var disconnected = await alice.ExpectAsync<Disconnected>();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, disconnected.CloseStatus);
        Assert.True(disconnected.WillReconnect);
        Assert.Equal(new UserLeft(room, aliceName), await bob.ExpectAsync<UserLeft>());
        Assert.Equal(ChatConnectionState.Reconnecting, alice.Client.State);
        Assert.Equal(ChatErrorCodes.Disconnected, (await Assert.ThrowsAsync<ChatException>(() => alice.Client.SendToRoomAsync(room, "lost"))).Code);

        Stack.Gateways[1].Start();
        await Stack.Gateways[1].WaitReadyAsync(TimeSpan.FromSeconds(60));
        var ready = clock.Elapsed;
        var reconnected = await alice.ExpectAsync<Reconnected>(timeout: ReconnectBound);
        var back = clock.Elapsed;
        var attempts = alice.History.Count(entry => entry.Event is Reconnecting);
        output.WriteLine(
            $"gateway stopped in {stopped.TotalMilliseconds:0} ms, ready again {ready.TotalMilliseconds:0} ms after SIGTERM; " +
            $"the client was back in its rooms {(back - ready).TotalMilliseconds:0} ms after the gateway was ready, " +
            $"{back.TotalMilliseconds:0} ms after SIGTERM, after {attempts} attempts");

        // With the default backoff (0.5 s doubling to 30 s) too, only later.
        await carol.ExpectAsync<Reconnected>(timeout: ReconnectBound);
        output.WriteLine(
            $"with the default backoff: back {(clock.Elapsed - ready).TotalMilliseconds:0} ms after the gateway was ready, " +
            $"after {carol.History.Count(entry => entry.Event is Reconnecting)} attempts");

        Assert.Equal(new[] { room, otherRoom }.Order(), reconnected.Rooms.Order());
        Assert.Equal("gateway-2", reconnected.Session.Gateway);
        Assert.NotEqual(before.ConnectionId, reconnected.Session.ConnectionId);
        Assert.Equal(reconnected.Session, alice.Client.Session);
        Assert.Equal(ChatConnectionState.Connected, alice.Client.State);
        Assert.Equal(new UserJoined(room, aliceName), await bob.ExpectAsync<UserJoined>());
        Assert.Equal(new[] { aliceName, bob.Client.Session.User }.Order(StringComparer.Ordinal), (await bob.Client.GetRoomPresenceAsync(room)).Users);

        // Messages flow again, both ways, in the room and directly.
        var sent = await bob.Client.SendToRoomAsync(room, "welcome back");
        Assert.Equal(1, sent.Recipients);
        Assert.Equal(sent.MessageId, (await alice.ExpectAsync<MessageReceived>(message => message.To == ChatTarget.Room(room))).MessageId);
        var direct = await bob.Client.SendToUserAsync(aliceName, "direct");
        Assert.Equal(1, direct.Recipients);
        Assert.Equal(direct.MessageId, (await alice.ExpectAsync<MessageReceived>(message => message.To == ChatTarget.User(aliceName))).MessageId);
        Assert.Equal(1, (await alice.Client.SendToRoomAsync(room, "thanks")).Recipients);
        Assert.Equal("thanks", (await bob.ExpectAsync<MessageReceived>()).BodyAs<string>());
    }

    [Fact]
    public async Task A_client_that_knows_two_gateways_moves_to_the_other_when_its_own_goes_away()
    {
        var room = Names.Unique("room");
        await using var alice = await fixture.ConnectAsync([1, 0], Names.Unique("alice"), Fast);
        await using var bob = await fixture.ConnectAsync(0, Names.Unique("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        Assert.Equal("gateway-2", alice.Client.Session.Gateway);

        var stopping = Stopwatch.StartNew();
        await Stack.Gateways[1].StopAsync(StopTimeout);
        var reconnected = await alice.ExpectAsync<Reconnected>(timeout: ReconnectBound);
        output.WriteLine($"reconnected to {reconnected.Session.Gateway} {stopping.ElapsedMilliseconds} ms after SIGTERM");

        Assert.Equal("gateway-1", reconnected.Session.Gateway);
        Assert.Equal([room], reconnected.Rooms);
        var sent = await bob.Client.SendToRoomAsync(room, "still here?");
        Assert.Equal(sent.MessageId, (await alice.ExpectAsync<MessageReceived>()).MessageId);
    }

    private static void Fast(ChatClientOptions options)
    {
        options.ReconnectInitialDelay = TimeSpan.FromMilliseconds(100);
        options.ReconnectMaxDelay = TimeSpan.FromSeconds(1);
    }
}
