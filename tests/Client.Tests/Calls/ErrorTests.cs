using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Calls;

[Collection(ClientStackCollection.Name)]
public sealed class ErrorTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task Sending_to_a_user_who_is_not_connected_fails_with_offline()
    {
        var carol = Names.Unique("carol");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));

        var error = await Assert.ThrowsAsync<ChatException>(() => alice.Client.SendToUserAsync(carol, "hello?"));

        Assert.Equal(ChatErrorCodes.Offline, error.Code);
        Assert.Equal($"user {carol} is not connected", error.Message);
    }

    [Fact]
    public async Task Sending_to_a_room_not_joined_fails_with_forbidden()
    {
        var room = Names.Unique("room");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));

        var error = await Assert.ThrowsAsync<ChatException>(() => alice.Client.SendToRoomAsync(room, "let me in"));

        Assert.Equal(ChatErrorCodes.Forbidden, error.Code);
        Assert.Equal($"join room {room} before sending to it", error.Message);
    }

    [Fact]
    public async Task An_invalid_room_name_fails_with_bad_request_and_is_not_kept()
    {
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));

        var error = await Assert.ThrowsAsync<ChatException>(() => alice.Client.JoinAsync("no spaces allowed"));

        Assert.Equal(ChatErrorCodes.BadRequest, error.Code);
        Assert.Contains("room", error.Message);
        Assert.Empty(alice.Client.Rooms);
    }

    [Fact]
    public async Task A_body_over_the_frame_limit_fails_with_too_large_unsent_and_the_connection_lives_on()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, bobName);

        var error = await Assert.ThrowsAsync<ChatException>(() => alice.Client.SendToUserAsync(bobName, new string('x', 70_000)));

        Assert.Equal(ChatErrorCodes.TooLarge, error.Code);
        Assert.Equal(1, (await alice.Client.SendToUserAsync(bobName, "small")).Recipients);
        Assert.Equal(ChatConnectionState.Connected, alice.Client.State);
    }

    [Fact]
    public async Task Connecting_fails_with_connect_failed_when_no_gateway_listens_or_one_refuses_the_user()
    {
        var nobodyListens = new ChatClientOptions { User = "alice", Urls = { new Uri($"ws://127.0.0.1:{FreePort.Next()}/ws") } };
        var badName = new ChatClientOptions { User = "not a name", Urls = { fixture.GatewayUrl(0) } };

        var unreachable = await Assert.ThrowsAsync<ChatException>(() => ChatClient.ConnectAsync(nobodyListens));
        var refused = await Assert.ThrowsAsync<ChatException>(() => ChatClient.ConnectAsync(badName));

        Assert.Equal(ChatErrorCodes.ConnectFailed, unreachable.Code);
        Assert.Equal(ChatErrorCodes.ConnectFailed, refused.Code);
        Assert.Contains("HTTP 400", refused.Message);
    }

    [Fact]
    public async Task Connecting_tries_each_gateway_in_order()
    {
        var user = Names.Unique("alice");
        var options = new ChatClientOptions { User = user, Urls = { new Uri($"ws://127.0.0.1:{FreePort.Next()}/ws"), fixture.GatewayUrl(1) } };

        await using var client = await ChatClient.ConnectAsync(options);

        Assert.Equal("gateway-2", client.Session.Gateway);
    }
}
