using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Protocol;

namespace ChatPlatform.Client.Tests.Protocol;

/// <summary>The gateway's frames as the client reads them (docs/protocol.md, "Server to client").</summary>
public sealed class ServerFramesTests
{
    private const string From = """ "from":{"user":"alice","connection":"28a2726187899b68"} """;

    [Fact]
    public void A_stored_message_carries_its_stream_and_offset()
    {
        var message = Event<MessageReceived>($$"""
            {"type":"message","message":"m1",{{From}},"to":{"user":"bob"},"body":{"text":"hi"},"ts":1795315833077,
             "stream":"user:bob","offset":42}
            """);

        Assert.Equal(("m1", "alice", "28a2726187899b68"), (message.MessageId, message.FromUser, message.FromConnection));
        Assert.Equal(ChatTarget.User("bob"), message.To);
        Assert.Equal("user:bob", message.Stream);
        Assert.Equal(42, message.Offset);
        Assert.False(message.Recovered);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795315833077), message.Timestamp);
    }

    [Fact]
    public void A_recovered_message_says_so_and_offsets_beyond_32_bits_are_read_whole()
    {
        var message = Event<MessageReceived>($$"""
            {"type":"message","message":"m2",{{From}},"to":{"room":"lobby"},"body":"hi","ts":1,
             "stream":"room:lobby","offset":9007199254740993,"recovered":true}
            """);

        Assert.Equal("room:lobby", message.Stream);
        Assert.Equal(9007199254740993, message.Offset);
        Assert.True(message.Recovered);
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","stream":null,"offset":null,"recovered":null""")]
    public void A_message_that_is_not_stored_has_no_stream_or_offset(string fields)
    {
        var message = Event<MessageReceived>($$"""{"type":"message","message":"m3",{{From}},"to":{"connection":"9f2c4e1a7b3d5f60"},"body":1,"ts":1{{fields}}}""");

        Assert.Null(message.Stream);
        Assert.Null(message.Offset);
        Assert.False(message.Recovered);
    }

    [Theory]
    [InlineData(""","stream":"room:lobby","offset":"17" """)]
    [InlineData(""","stream":"room:lobby","offset":1.5""")]
    [InlineData(""","stream":7,"offset":1""")]
    [InlineData(""","recovered":"yes" """)]
    public void A_message_with_a_field_of_the_wrong_kind_is_refused(string fields)
    {
        using var document = JsonDocument.Parse($$"""{"type":"message","message":"m4",{{From}},"to":{"room":"lobby"},"body":1,"ts":1{{fields}}}""");

        // The connection skips a frame that throws one of these, and lives on.
        var error = Record.Exception(() => ServerEvents.Read("message", document.RootElement));

        Assert.True(error is InvalidOperationException or FormatException, $"got {error}");
    }

    [Fact]
    public void A_message_a_backend_published_names_its_system_sender_and_no_user_or_connection()
    {
        var message = Event<MessageReceived>("""
            {"type":"message","message":"m5","from":{"system":"billing"},"to":{"user":"bob"},"body":{"text":"Your invoice is ready"},
             "ts":1733577600000,"stream":"user:bob","offset":7}
            """);
        var fromUser = Event<MessageReceived>($$"""{"type":"message","message":"m6",{{From}},"to":{"user":"bob"},"body":1,"ts":1}""");

        Assert.Equal(("billing", null, null), (message.FromSystem, message.FromUser, message.FromConnection));
        Assert.True(message.IsFromSystem);
        Assert.Equal(7, message.Offset);
        Assert.Null(fromUser.FromSystem);
        Assert.False(fromUser.IsFromSystem);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"system":7}""")]
    [InlineData("""{"user":"alice"}""")]
    public void A_message_whose_sender_is_neither_a_user_and_connection_nor_a_system_is_refused(string from)
    {
        using var document = JsonDocument.Parse($$"""{"type":"message","message":"m7","from":{{from}},"to":{"user":"bob"},"body":1,"ts":1}""");

        var error = Record.Exception(() => ServerEvents.Read("message", document.RootElement));

        Assert.True(error is InvalidOperationException or KeyNotFoundException, $"got {error}");
    }

    [Fact]
    public void The_recovered_frame_lists_the_restored_rooms_and_whether_the_gap_was_covered()
    {
        var complete = Event<Recovered>("""{"type":"recovered","rooms":["lobby","private:staff"],"messages":12,"complete":true}""");
        var unknown = Event<Recovered>("""{"type":"recovered","rooms":[],"messages":0,"complete":false}""");

        Assert.Equal(["lobby", "private:staff"], complete.Rooms);
        Assert.Equal(12, complete.Messages);
        Assert.True(complete.Complete);
        Assert.Empty(unknown.Rooms);
        Assert.Equal(0, unknown.Messages);
        Assert.False(unknown.Complete);
    }

    [Fact]
    public void An_ack_says_whether_the_message_was_stored()
    {
        Assert.Equal(new SendResult("m1", 2, Stored: false), Answers.Sent(Json("""{"type":"ack","id":"1","message":"m1","recipients":2}""")));
        Assert.Equal(new SendResult("m2", 0, Stored: true), Answers.Sent(Json("""{"type":"ack","id":"9","message":"m2","recipients":0,"stored":true}""")));
        Assert.Equal(new SendResult("m3", 1, Stored: false), Answers.Sent(Json("""{"type":"ack","id":"3","message":"m3","recipients":1,"stored":false}""")));
    }

    [Fact]
    public void A_history_answer_has_the_stream_its_epoch_and_the_messages_oldest_first()
    {
        var history = Answers.History(Json($$"""
            {"type":"history","id":"h1","stream":"room:lobby","epoch":"18c3a5e1f0b2d4a1","messages":[
              {"type":"message","message":"m41",{{From}},"to":{"room":"lobby"},"body":"hi","ts":1795315833077,"stream":"room:lobby","offset":41},
              {"type":"message","message":"m42",{{From}},"to":{"room":"lobby"},"body":{"text":"hello"},"ts":1795315834120,"stream":"room:lobby","offset":42}]}
            """));

        Assert.Equal("room:lobby", history.Stream);
        Assert.Equal("18c3a5e1f0b2d4a1", history.Epoch);
        Assert.Equal(["m41", "m42"], history.Messages.Select(message => message.MessageId));
        Assert.Equal([41L, 42L], history.Messages.Select(message => message.Offset!.Value));
        Assert.All(history.Messages, message => Assert.Equal(ChatTarget.Room("lobby"), message.To));
        Assert.Equal("hi", history.Messages[0].BodyAs<string>());
        Assert.Equal("""{"text":"hello"}""", history.Messages[1].Body.GetRawText());
        Assert.All(history.Messages, message => Assert.False(message.Recovered));
    }

    [Fact]
    public void An_empty_stream_has_no_messages_and_an_empty_epoch()
    {
        var history = Answers.History(Json("""{"type":"history","id":"h2","stream":"user:alice","epoch":"","messages":[]}"""));

        Assert.Equal(new ChatHistory("user:alice", "", history.Messages), history);
        Assert.Empty(history.Messages);
    }

    [Theory]
    [InlineData("""{"type":"ack","id":"h3","message":"m","recipients":1}""")]
    [InlineData("""{"type":"history","id":"h3","stream":"room:lobby","epoch":"e"}""")]
    [InlineData("""{"type":"history","id":"h3","stream":"room:lobby","epoch":"e","messages":[{"type":"message"}]}""")]
    public void A_history_answer_of_the_wrong_shape_is_a_protocol_error(string answer)
    {
        var error = Assert.Throws<ChatException>(() => Answers.History(Json(answer)));

        Assert.Equal(ChatErrorCodes.ProtocolError, error.Code);
    }

    private static T Event<T>(string frame)
        where T : ChatEvent
    {
        var element = Json(frame);
        return Assert.IsType<T>(ServerEvents.Read(element.GetProperty("type").GetString()!, element));
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
