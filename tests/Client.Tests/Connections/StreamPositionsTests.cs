using System.Text.Json;
using ChatPlatform.Client.Connections;
using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Tests.Connections;

public sealed class StreamPositionsTests
{
    [Fact]
    public void A_message_at_or_below_the_last_offset_an_earlier_connection_got_in_its_stream_is_dropped()
    {
        var positions = new StreamPositions();
        positions.StartConnection();
        Assert.True(positions.Admit(Message("room:lobby", 4)));
        Assert.True(positions.Admit(Message("room:lobby", 5)));
        Assert.True(positions.Admit(Message("user:alice", 7)));

        positions.StartConnection();

        Assert.False(positions.Admit(Message("room:lobby", 3, recovered: true)));
        Assert.False(positions.Admit(Message("room:lobby", 5, recovered: true)));
        Assert.False(positions.Admit(Message("user:alice", 7)));
        Assert.True(positions.Admit(Message("user:alice", 8)));
        Assert.True(positions.Admit(Message("room:lobby", 6, recovered: true)));
        Assert.True(positions.Admit(Message("room:lobby", 7)));
        Assert.True(positions.Admit(Message("room:other", 1)));
        Assert.Equal([new StreamPosition("room:other", 1), new StreamPosition("room:lobby", 7), new StreamPosition("user:alice", 8)], positions.Latest());
    }

    [Fact]
    public void On_one_connection_an_offset_that_does_not_go_up_means_the_stream_started_again()
    {
        var positions = new StreamPositions();
        positions.StartConnection();
        positions.Admit(Message("room:lobby", 40));

        // The room's stream expired, or the store lost it: offsets start again from 1.
        Assert.True(positions.Admit(Message("room:lobby", 1)));
        Assert.True(positions.Admit(Message("room:lobby", 2)));
        Assert.Equal([new StreamPosition("room:lobby", 2)], positions.Latest());

        positions.StartConnection();
        Assert.False(positions.Admit(Message("room:lobby", 2, recovered: true)));
        Assert.True(positions.Admit(Message("room:lobby", 3, recovered: true)));
    }

    [Fact]
    public void Messages_that_are_not_stored_and_other_events_always_pass()
    {
        var positions = new StreamPositions();
        var unstored = Message(null, null);

        Assert.True(positions.Admit(unstored));
        Assert.True(positions.Admit(unstored));
        Assert.True(positions.Admit(new UserJoined("lobby", "bob")));
        Assert.True(positions.Admit(new Recovered(["lobby"], 3, Complete: true)));
        Assert.Empty(positions.Latest());
    }

    [Fact]
    public void Latest_puts_the_stream_that_moved_last_first()
    {
        var positions = new StreamPositions();
        positions.Admit(Message("room:a", 1));
        positions.Admit(Message("room:b", 1));
        positions.Admit(Message("room:a", 2));
        positions.Admit(Message("room:c", 7));

        Assert.Equal(["room:c", "room:a", "room:b"], positions.Latest().Select(position => position.Stream));
    }

    [Fact]
    public void An_incomplete_resume_forgets_every_position_since_a_stream_may_have_started_again()
    {
        var positions = new StreamPositions();
        positions.StartConnection();
        positions.Admit(Message("room:lobby", 40));
        positions.Admit(Message("user:alice", 7));
        positions.StartConnection();

        Assert.True(positions.Admit(new Recovered([], 0, Complete: false)));

        Assert.Empty(positions.Latest());
        Assert.True(positions.Admit(Message("room:lobby", 1)));
    }

    [Fact]
    public void A_forgotten_stream_is_no_longer_named_or_checked()
    {
        var positions = new StreamPositions();
        positions.Admit(Message("room:lobby", 40));
        positions.Admit(Message("room:other", 2));

        positions.Forget("room:lobby");
        positions.StartConnection();

        Assert.Equal([new StreamPosition("room:other", 2)], positions.Latest());
        Assert.True(positions.Admit(Message("room:lobby", 1)));
    }

    private static MessageReceived Message(string? stream, long? offset, bool recovered = false) =>
        new("m", "bob", "b", ChatTarget.Room("lobby"), JsonSerializer.SerializeToElement("hi"), DateTimeOffset.UnixEpoch, stream, offset, recovered);
}
