using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Calls;

[Collection(ClientStackCollection.Name)]
public sealed class SendTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task Connecting_exposes_the_welcome_and_starts_the_events_with_it()
    {
        var user = Names.Unique("alice");
        await using var alice = await fixture.ConnectAsync(1, user);

        var session = alice.Client.Session;
        Assert.Matches("^[0-9a-f]{16}$", session.ConnectionId);
        Assert.Equal(user, session.User);
        Assert.Equal("gateway-2", session.Gateway);
        Assert.Equal(fixture.GatewayUrl(1), session.Url);
        Assert.Equal(ChatConnectionState.Connected, alice.Client.State);
        Assert.Equal(session, (await alice.ExpectAsync<Connected>()).Session);
        Assert.IsType<Connected>(alice.History[0].Event);
    }

    [Fact]
    public async Task A_message_to_a_user_reaches_each_of_their_connections_on_both_gateways()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, bobName);
        await using var bobAgain = await fixture.ConnectAsync(0, bobName);

        var sent = await alice.Client.SendToUserAsync(bobName, new Note("hi bob"));

        Assert.Equal(2, sent.Recipients);
        Assert.Matches("^[0-9a-f]{32}$", sent.MessageId);
        foreach (var connection in new[] { bob, bobAgain })
        {
            var message = await connection.ExpectAsync<MessageReceived>();
            Assert.Equal(sent.MessageId, message.MessageId);
            Assert.Equal(alice.Client.Session.User, message.FromUser);
            Assert.Equal(alice.Client.Session.ConnectionId, message.FromConnection);
            Assert.Equal(ChatTarget.User(bobName), message.To);
            Assert.Equal("hi bob", message.BodyAs<Note>()!.Text);
            Assert.Equal("""{"text":"hi bob"}""", message.Body.GetRawText());
            Assert.InRange(message.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        }
    }

    [Fact]
    public async Task A_message_to_a_connection_reaches_that_connection_only()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, bobName);
        await using var bobAgain = await fixture.ConnectAsync(1, bobName);

        var sent = await alice.Client.SendToConnectionAsync(bob.Client.Session.ConnectionId, "just you");

        Assert.Equal(1, sent.Recipients);
        var message = await bob.ExpectAsync<MessageReceived>();
        Assert.Equal(ChatTarget.Connection(bob.Client.Session.ConnectionId), message.To);
        Assert.Equal("just you", message.BodyAs<string>());
        await bobAgain.ExpectNothingAsync<MessageReceived>(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_json_element_body_is_delivered_byte_for_byte()
    {
        const string Body = """{"n":[1,2.50,"x"],"ok":true,"nested":{"empty":null}}""";
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, bobName);
        using var document = JsonDocument.Parse(Body);

        await alice.Client.SendToUserAsync(bobName, document.RootElement);

        Assert.Equal(Body, (await bob.ExpectAsync<MessageReceived>()).Body.GetRawText());
    }

    [Fact]
    public async Task A_message_to_everyone_reaches_the_others_but_not_the_sender()
    {
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, Names.Unique("bob"));
        await using var carol = await fixture.ConnectAsync(0, Names.Unique("carol"));

        var sent = await alice.Client.SendToEveryoneAsync(new Note("announcement"));

        Assert.True(sent.Recipients >= 2, $"routed to {sent.Recipients}");
        foreach (var other in new[] { bob, carol })
        {
            var message = await other.ExpectAsync<MessageReceived>(m => m.MessageId == sent.MessageId);
            Assert.Equal(ChatTarget.Everyone, message.To);
        }

        await alice.ExpectNothingAsync<MessageReceived>(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Calls_made_together_each_get_their_own_answer_in_order()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, bobName);

        // Within the default burst of 50 frames.
        var sends = Enumerable.Range(0, 30).Select(n => alice.Client.SendToUserAsync(bobName, n)).ToList();
        var results = await Task.WhenAll(sends);

        Assert.Equal(30, results.Select(result => result.MessageId).Distinct().Count());
        for (var n = 0; n < 30; n++)
        {
            var message = await bob.ExpectAsync<MessageReceived>();
            Assert.Equal(n, message.BodyAs<int>());
            Assert.Equal(results[n].MessageId, message.MessageId);
        }
    }

    private sealed record Note(string Text);
}
