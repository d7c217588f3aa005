using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Messaging;

[Collection(StackCollection.Name)]
public sealed class DirectMessageTests(StackFixture fixture)
{
    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task Welcome_names_the_connection_the_user_and_the_gateway()
    {
        var user = Names.Unique("alice");
        await using var first = await Stack.ConnectAsync(0, user);
        await using var second = await Stack.ConnectAsync(1, user);

        Assert.Equal(user, first.User);
        Assert.Equal("gateway-1", first.Gateway);
        Assert.Equal("gateway-2", second.Gateway);
        Assert.Matches("^[0-9a-f]{16}$", first.ConnectionId);
        Assert.NotEqual(first.ConnectionId, second.ConnectionId);
        Assert.Equal(["type", "connection", "user", "gateway", "session"], first.Welcome.EnumerateObject().Select(property => property.Name));
        Assert.StartsWith(first.ConnectionId + ".", first.Welcome.GetProperty("session").GetString());
    }

    [Fact]
    public async Task A_message_to_a_user_crosses_gateways_and_is_acked()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));

        var ack = await alice.SendAndWaitAsync(new { user = bob.User }, new { text = "hi bob", n = 1 });

        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
        var message = await bob.ExpectAsync("message");
        Assert.Equal(ack.GetProperty("message").GetString(), message.GetProperty("message").GetString());
        Assert.Equal(alice.User, message.GetProperty("from").GetProperty("user").GetString());
        Assert.Equal(alice.ConnectionId, message.GetProperty("from").GetProperty("connection").GetString());
        Assert.Equal(bob.User, message.GetProperty("to").GetProperty("user").GetString());
        Assert.Equal("""{"text":"hi bob","n":1}""", message.GetProperty("body").GetRawText());
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(message.GetProperty("ts").GetInt64());
        Assert.InRange(sentAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_message_to_a_connection_reaches_only_that_connection()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bobHere = await Stack.ConnectAsync(0, bobName);
        await using var bobThere = await Stack.ConnectAsync(1, bobName);

        var ack = await alice.SendAndWaitAsync(new { connection = bobThere.ConnectionId }, "just this one");

        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
        var message = await bobThere.ExpectAsync("message");
        Assert.Equal(bobThere.ConnectionId, message.GetProperty("to").GetProperty("connection").GetString());
        Assert.Equal("\"just this one\"", message.GetProperty("body").GetRawText());
        await bobHere.ExpectNothingAsync(IsMessage, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_user_connected_to_both_gateways_gets_the_message_on_every_connection()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob1 = await Stack.ConnectAsync(0, bobName);
        await using var bob2 = await Stack.ConnectAsync(1, bobName);
        await using var bob3 = await Stack.ConnectAsync(1, bobName);

        var ack = await alice.SendAndWaitAsync(new { user = bobName }, new[] { 1, 2, 3 });

        Assert.Equal(3, ack.GetProperty("recipients").GetInt32());
        var messageId = ack.GetProperty("message").GetString();
        foreach (var bob in new[] { bob1, bob2, bob3 })
        {
            var message = await bob.ExpectAsync("message");
            Assert.Equal(messageId, message.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Messages_to_absent_users_and_connections_are_answered_offline()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        var toUser = await alice.SendAndWaitAsync(new { user = "nobody-here" }, "hello?");
        var toConnection = await alice.SendAndWaitAsync(new { connection = "0000000000000000" }, "hello?");

        AssertError(toUser, "offline", "user nobody-here is not connected");
        AssertError(toConnection, "offline", "connection 0000000000000000 is not connected");
    }

    [Fact]
    public async Task The_sender_is_who_the_connection_is_whatever_the_frame_claims()
    {
        await using var mallory = await Stack.ConnectAsync(0, Names.Unique("mallory"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));

        await mallory.SendAsync($$"""
            {"type":"send","id":"f1","from":{"user":"alice","connection":"0000000000000000"},"user":"alice","to":{"user":"{{bob.User}}"},"body":"trust me"}
            """);

        Assert.Equal("ack", (await mallory.ReplyToAsync("f1")).GetProperty("type").GetString());
        var from = (await bob.ExpectAsync("message")).GetProperty("from");
        Assert.Equal(mallory.User, from.GetProperty("user").GetString());
        Assert.Equal(mallory.ConnectionId, from.GetProperty("connection").GetString());
    }

    [Fact]
    public async Task A_user_is_routable_as_soon_as_they_are_welcomed()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        for (var i = 0; i < 30; i++)
        {
            // Connect on the other gateway and send the moment the welcome arrives.
            await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
            var reply = await alice.SendAndWaitAsync(new { user = bob.User }, i);

            Assert.True(reply.GetProperty("type").GetString() == "ack", $"attempt {i}: {reply.GetRawText()}");
            Assert.Equal(i, (await bob.ExpectAsync("message")).GetProperty("body").GetInt32());
        }
    }

    [Fact]
    public async Task Request_ids_are_echoed_as_sent_and_are_optional()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));

        await alice.SendAsync($$"""{"type":"send","id":42,"to":{"user":"{{bob.User}}"},"body":null}""");
        var numbered = await alice.ExpectAsync("ack");
        await alice.SendAsync($$"""{"type":"send","to":{"user":"{{bob.User}}"},"body":true}""");
        var anonymous = await alice.ExpectAsync("ack");

        Assert.Equal(42, numbered.GetProperty("id").GetInt32());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("id").ValueKind);
        Assert.Equal("null", (await bob.ExpectAsync("message")).GetProperty("body").GetRawText());
        Assert.Equal("true", (await bob.ExpectAsync("message")).GetProperty("body").GetRawText());
    }

    private static bool IsMessage(JsonElement frame) => frame.GetProperty("type").GetString() == "message";

    private static void AssertError(JsonElement frame, string code, string message)
    {
        Assert.Equal("error", frame.GetProperty("type").GetString());
        Assert.Equal(code, frame.GetProperty("code").GetString());
        Assert.Equal(message, frame.GetProperty("message").GetString());
    }
}
