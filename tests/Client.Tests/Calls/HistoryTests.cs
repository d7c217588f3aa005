using ChatPlatform.Client.Events;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Calls;

/// <summary>History calls and stored messages, against the real stack.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class HistoryTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task A_rooms_history_is_its_newest_messages_oldest_first_as_they_were_received_and_pages_backwards()
    {
        var room = Names.Unique("room");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, Names.Unique("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        var sent = new List<SendResult>();
        for (var n = 1; n <= 5; n++)
        {
            sent.Add(await alice.Client.SendToRoomAsync(room, new { text = $"m{n}" }));
        }

        var received = new List<MessageReceived>();
        foreach (var result in sent)
        {
            received.Add(await bob.ExpectAsync<MessageReceived>(message => message.MessageId == result.MessageId));
        }

        var newest = await bob.Client.GetRoomHistoryAsync(room, limit: 3);
        var older = await bob.Client.GetRoomHistoryAsync(room, limit: 3, before: newest.Messages[0].Offset);

        Assert.All(sent, result => Assert.True(result.Stored));
        Assert.Equal($"room:{room}", newest.Stream);
        Assert.NotEmpty(newest.Epoch);
        Assert.Equal(newest.Epoch, older.Epoch);
        Assert.Equal(received.Skip(2), newest.Messages, SameMessage);
        Assert.Equal(received.Take(2), older.Messages, SameMessage);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], received.Select(message => message.Offset!.Value));
        Assert.All(received, message => Assert.Equal($"room:{room}", message.Stream));
        Assert.Equal("m3", newest.Messages[0].Body.GetProperty("text").GetString());
        Assert.Equal(alice.Client.Session.ConnectionId, newest.Messages[0].FromConnection);
        Assert.All(newest.Messages, message => Assert.False(message.Recovered));

        // History is read on request; nothing of it comes as an event.
        await bob.ExpectNothingAsync<MessageReceived>(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Ones_own_history_holds_the_direct_messages_to_ones_user_and_not_those_to_one_connection()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, bobName);
        var toUser = await alice.Client.SendToUserAsync(bobName, "hi bob");
        var toConnection = await alice.Client.SendToConnectionAsync(bob.Client.Session.ConnectionId, "not stored");
        await bob.ExpectAsync<MessageReceived>(message => message.MessageId == toConnection.MessageId);

        var own = await bob.Client.GetDirectHistoryAsync();
        var nothingYet = await alice.Client.GetDirectHistoryAsync(limit: 10);

        Assert.True(toUser.Stored);
        Assert.False(toConnection.Stored);
        Assert.Equal($"user:{bobName}", own.Stream);
        var message = Assert.Single(own.Messages);
        Assert.Equal((toUser.MessageId, "hi bob", 1L), (message.MessageId, message.BodyAs<string>(), message.Offset!.Value));
        Assert.Equal(ChatTarget.User(bobName), message.To);
        Assert.Equal($"user:{alice.Client.Session.User}", nothingYet.Stream);
        Assert.Empty(nothingYet.Messages);
    }

    [Fact]
    public async Task Reading_the_history_of_a_room_one_is_not_in_is_forbidden()
    {
        var room = Names.Unique("room");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var carol = await fixture.ConnectAsync(1, Names.Unique("carol"));
        await alice.Client.JoinAsync(room);
        await alice.Client.SendToRoomAsync(room, "members only");

        var error = await Assert.ThrowsAsync<ChatException>(() => carol.Client.GetRoomHistoryAsync(room));

        Assert.Equal(ChatErrorCodes.Forbidden, error.Code);
    }

    private static bool SameMessage(MessageReceived expected, MessageReceived actual) =>
        (expected.MessageId, expected.FromUser, expected.FromConnection, expected.To, expected.Body.GetRawText(), expected.Timestamp, expected.Stream, expected.Offset)
        == (actual.MessageId, actual.FromUser, actual.FromConnection, actual.To, actual.Body.GetRawText(), actual.Timestamp, actual.Stream, actual.Offset);
}
