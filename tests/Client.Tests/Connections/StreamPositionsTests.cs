using System.Text.Json;
using ChatPlatform.Client.Connections;
using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Tests.Connections;

public sealed class StreamPositionsTests
{
    [Fact]
    public void A_message_at_or_below_the_last_offset_of_its_stream_is_dropped_and_other_streams_are_apart()
    {
        var positions = new StreamPositions();

        Assert.True(positions.Admit(Message("room:lobby", 5)));
        Assert.False(positions.Admit(Message("room:lobby", 5)));
        Assert.False(positions.Admit(Message("room:lobby", 3, recovered: true)));
        Assert.True(positions.Admit(Message("user:alice", 1)));
        Assert.True(positions.Admit(Message("room:lobby", 6)));
        Assert.True(positions.Admit(Message("room:lobby", 9)));
        Assert.False(positions.Admit(Message("room:lobby", 8)));

        Assert.Equal([new StreamPosition("room:lobby", 9), new StreamPosition("user:alice", 1)], positions.Latest());
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
        positions.Admit(Message("room:lobby", 40));
        positions.Admit(Message("user:alice", 7));

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

        Assert.Equal([new StreamPosition("room:other", 2)], positions.Latest());
        Assert.True(positions.Admit(Message("room:lobby", 1)));
    }

    private static MessageReceived Message(string? stream, long? offset, bool recovered = false) =>
        new("m", "bob", "b", ChatTarget.Room("lobby"), JsonSerializer.SerializeToElement("hi"), DateTimeOffset.UnixEpoch, stream, offset, recovered);
}
