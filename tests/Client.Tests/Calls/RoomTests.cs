using ChatPlatform.Client.Events;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Calls;

[Collection(ClientStackCollection.Name)]
public sealed class RoomTests(ClientStackFixture fixture)
{
    [Fact]
    public async Task Members_get_room_messages_and_see_each_other_join_and_leave()
    {
        var room = Names.Unique("room");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(1, Names.Unique("bob"));
        await alice.Client.JoinAsync(room);

        await bob.Client.JoinAsync(room);
        Assert.Equal(new UserJoined(room, bob.Client.Session.User), await alice.ExpectAsync<UserJoined>());
        Assert.Equal([room], bob.Client.Rooms);

        var sent = await alice.Client.SendToRoomAsync(room, "hi room");
        Assert.Equal(1, sent.Recipients);
        var message = await bob.ExpectAsync<MessageReceived>();
        Assert.Equal(ChatTarget.Room(room), message.To);
        Assert.Equal("hi room", message.BodyAs<string>());

        await bob.Client.LeaveAsync(room);
        Assert.Equal(new UserLeft(room, bob.Client.Session.User), await alice.ExpectAsync<UserLeft>());
        Assert.Empty(bob.Client.Rooms);
        Assert.Equal(0, (await alice.Client.SendToRoomAsync(room, "anyone?")).Recipients);
        await bob.ExpectNothingAsync<MessageReceived>(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Presence_lists_a_rooms_users_and_counts_a_users_connections()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await fixture.ConnectAsync(0, bobName);
        await using var bobAgain = await fixture.ConnectAsync(1, bobName);
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        var inRoom = await bobAgain.Client.GetRoomPresenceAsync(room);
        var bobOnline = await alice.Client.GetUserPresenceAsync(bobName);
        var nobody = await alice.Client.GetUserPresenceAsync(Names.Unique("nobody"));
        var empty = await alice.Client.GetRoomPresenceAsync(Names.Unique("empty"));

        Assert.Equal(room, inRoom.Room);
        Assert.Equal(new[] { alice.Client.Session.User, bobName }.Order(StringComparer.Ordinal), inRoom.Users);
        Assert.Equal(new UserPresence(bobName, true, 2), bobOnline);
        Assert.False(nobody.Online);
        Assert.Equal(0, nobody.Connections);
        Assert.Empty(empty.Users);
    }
}
