using ChatPlatform.Client.Events;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Calls;

/// <summary>The library with tokens, against gateways that accept both tokens and development users.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class TokenTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task A_token_connects_as_its_subject_and_messages_carry_that_id_both_ways()
    {
        // A user id no development user could have: tokens allow any id without spaces.
        var aliceId = $"{Names.Unique("alice")}@example.com";
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectWithTokenAsync(0, fixture.Tokens.Create(aliceId));
        await using var bob = await fixture.ConnectAsync(1, bobName);

        Assert.Equal(aliceId, alice.Client.Session.User);
        Assert.Equal(aliceId, (await alice.ExpectAsync<Connected>()).Session.User);

        var toBob = await alice.Client.SendToUserAsync(bobName, "from a token");
        var received = await bob.ExpectAsync<MessageReceived>();
        Assert.Equal(1, toBob.Recipients);
        Assert.Equal(aliceId, received.FromUser);
        Assert.Equal(alice.Client.Session.ConnectionId, received.FromConnection);

        var toAlice = await bob.Client.SendToUserAsync(aliceId, "to a token");
        Assert.Equal(toAlice.MessageId, (await alice.ExpectAsync<MessageReceived>()).MessageId);
        Assert.Equal(new UserPresence(aliceId, true, 1), await bob.Client.GetUserPresenceAsync(aliceId));
    }

    [Fact]
    public async Task A_token_provider_supplies_the_token_when_connecting()
    {
        var user = Names.Unique("carol");
        var asked = 0;
        await using var carol = await fixture.ConnectAsync([1], user, options =>
        {
            options.User = null;
            options.TokenProvider = _ =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(fixture.Tokens.Create(user));
            };
        });

        Assert.Equal(user, carol.Client.Session.User);
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task A_token_the_gateway_does_not_accept_fails_to_connect_with_unauthorized()
    {
        var tokens = fixture.Tokens;
        var user = Names.Unique("mallory");
        string[] refused =
        [
            new TestTokens(tokens.Issuer, tokens.Audience, TestTokens.NewSecret()).Create(user),
            new TestTokens(tokens.Issuer, "someone-else", tokens.Secret).Create(user),
            new TestTokens("someone-else", tokens.Audience, tokens.Secret).Create(user),
            tokens.Create(user, lifetime: TimeSpan.FromMinutes(-5)),
            "not.a.token",
        ];

        foreach (var token in refused)
        {
            var options = new ChatClientOptions { Token = token, Urls = { fixture.GatewayUrl(0) } };
            var error = await Assert.ThrowsAsync<ChatException>(() => ChatClient.ConnectAsync(options));
            Assert.Equal(ChatErrorCodes.Unauthorized, error.Code);
            Assert.Contains("HTTP 401", error.Message);
        }
    }

    [Fact]
    public async Task Sending_to_everyone_with_a_token_needs_the_admin_role()
    {
        await using var bob = await fixture.ConnectAsync(1, Names.Unique("bob"));
        await using var plain = await fixture.ConnectWithTokenAsync(0, fixture.Tokens.Create(Names.Unique("alice")));
        await using var admin = await fixture.ConnectWithTokenAsync(0, fixture.Tokens.Create(Names.Unique("root"), roles: ["admin"]));

        var refused = await Assert.ThrowsAsync<ChatException>(() => plain.Client.SendToEveryoneAsync("hello all"));
        var sent = await admin.Client.SendToEveryoneAsync("announcement");

        Assert.Equal(ChatErrorCodes.Forbidden, refused.Code);
        Assert.Equal("sending to everyone needs the 'admin' role", refused.Message);
        Assert.True(sent.Recipients >= 2, $"routed to {sent.Recipients}");
        Assert.Equal(sent.MessageId, (await bob.ExpectAsync<MessageReceived>(message => message.MessageId == sent.MessageId)).MessageId);
    }

    [Fact]
    public async Task A_private_room_takes_a_token_that_lists_it_and_refuses_anyone_else_with_forbidden()
    {
        var room = $"private:{Names.Unique("staff")}";
        await using var staff = await fixture.ConnectWithTokenAsync(0, fixture.Tokens.Create(Names.Unique("alice"), rooms: [room]));
        await using var outsider = await fixture.ConnectWithTokenAsync(1, fixture.Tokens.Create(Names.Unique("eve")));
        await using var developer = await fixture.ConnectAsync(1, Names.Unique("dev"));

        await staff.Client.JoinAsync(room);
        var tokenRefused = await Assert.ThrowsAsync<ChatException>(() => outsider.Client.JoinAsync(room));
        var developerRefused = await Assert.ThrowsAsync<ChatException>(() => developer.Client.JoinAsync(room));
        var askingRefused = await Assert.ThrowsAsync<ChatException>(() => developer.Client.GetRoomPresenceAsync(room));

        Assert.Equal([room], staff.Client.Rooms);
        Assert.Equal([staff.Client.Session.User], (await staff.Client.GetRoomPresenceAsync(room)).Users);
        Assert.All([tokenRefused, developerRefused, askingRefused], error => Assert.Equal(ChatErrorCodes.Forbidden, error.Code));
        Assert.Equal($"room {room} is private; it needs a token that lists it", tokenRefused.Message);
        Assert.Empty(outsider.Client.Rooms);
        Assert.Empty(developer.Client.Rooms);
    }
}
