using System.Text.Json;
using ChatPlatform.Client.Api;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Api;

/// <summary><see cref="ChatApiClient"/> and <c>chat api</c> against a real stack's server API, seen by real clients.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class ServerApiStackTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task A_backend_publishes_asks_presence_removes_from_a_room_and_disconnects_through_the_typed_client()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        var aliceName = Names.Unique("alice");
        await using var alice = await fixture.ConnectAsync(0, aliceName);
        await using var bob = await fixture.ConnectAsync(1, bobName);
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        using var api = new ChatApiClient(fixture.Stack.Gateways[1].ApiAddress, ChatStack.ApiKey);

        var published = await api.PublishAsync(ChatTarget.Room(room), "billing", new { text = "invoice ready" }, idempotencyKey: Names.Unique("invoice"));
        var message = await bob.ExpectAsync<MessageReceived>(received => received.IsFromSystem);
        var presence = await api.GetRoomPresenceAsync(room);
        var removed = await api.RemoveUserFromRoomAsync(room, bobName);
        var left = await bob.ExpectAsync<UserLeft>(leaving => leaving.Room == room && leaving.User == bobName);
        var disconnected = await api.DisconnectUserAsync(bobName, "account suspended");
        var ended = await bob.ExpectAsync<Disconnected>();

        Assert.Equal((2, true, false), (published.Recipients, published.Stored, published.Replayed));
        Assert.Equal((published.MessageId, "billing", (string?)null), (message.MessageId, message.FromSystem, message.FromUser));
        Assert.Equal("invoice ready", message.Body.GetProperty("text").GetString());
        Assert.Equal(new[] { aliceName, bobName }.Order(StringComparer.Ordinal), presence.Users.Order(StringComparer.Ordinal));
        Assert.Equal(1, removed);
        Assert.DoesNotContain(room, bob.Client.Rooms);
        Assert.Equal(1, disconnected);
        Assert.True(ended.ByServer);
        Assert.False(ended.WillReconnect);
        Assert.Contains("account suspended", ended.Reason);
        var error = await Assert.ThrowsAsync<ChatException>(() => api.GetUserPresenceAsync("not a valid user!"));
        Assert.Equal(("bad_request", 400), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task The_chat_api_command_publishes_and_answers_presence_as_one_json_line_each()
    {
        var bobName = Names.Unique("bob");
        await using var bob = await fixture.ConnectAsync(0, bobName);
        var environment = new Dictionary<string, string?>
        {
            ["CHAT_API_URL"] = fixture.Stack.Gateways[0].ApiAddress.ToString(),
            ["CHAT_API_KEY"] = ChatStack.ApiKey,
        };

        var publish = await ChatCli.RunAsync("api-stack", ["api", "publish", "--to", $"user:{bobName}", "--from", "ops", """{"text":"from the terminal"}"""], environment);
        var presence = await ChatCli.RunAsync("api-stack", ["api", "presence", $"user:{bobName}"], environment);
        var refused = await ChatCli.RunAsync("api-stack", ["api", "presence", $"user:{bobName}"], new Dictionary<string, string?>(environment) { ["CHAT_API_KEY"] = "not-the-key-0123456789abcdefghijklmnop" });

        Assert.Equal(0, publish.ExitCode);
        var answer = JsonDocument.Parse(Assert.Single(publish.Stdout)).RootElement;
        Assert.Equal(1, answer.GetProperty("recipients").GetInt32());
        var message = await bob.ExpectAsync<MessageReceived>(received => received.FromSystem == "ops");
        Assert.Equal(answer.GetProperty("message").GetString(), message.MessageId);
        Assert.Equal(0, presence.ExitCode);
        var online = JsonDocument.Parse(Assert.Single(presence.Stdout)).RootElement;
        Assert.Equal((true, 1), (online.GetProperty("online").GetBoolean(), online.GetProperty("connections").GetInt32()));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(refused.Stderr, line => line.Contains("unauthorized", StringComparison.Ordinal));
    }
}
