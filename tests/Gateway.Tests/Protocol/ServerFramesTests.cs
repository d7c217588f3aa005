using System.Text;
using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Tests.Protocol;

public sealed class ServerFramesTests
{
    [Fact]
    public void Welcome_names_the_connection_the_user_and_the_gateway()
    {
        var frame = Parse(ServerFrames.Welcome("3f9a0c1be2d47a85", "alice", "gw-1", "3f9a0c1be2d47a85.c2VjcmV0"));

        Assert.Equal(["type", "connection", "user", "gateway", "session"], Names(frame));
        Assert.Equal("3f9a0c1be2d47a85.c2VjcmV0", frame.GetProperty("session").GetString());
        Assert.Equal("welcome", frame.GetProperty("type").GetString());
        Assert.Equal("3f9a0c1be2d47a85", frame.GetProperty("connection").GetString());
        Assert.Equal("alice", frame.GetProperty("user").GetString());
        Assert.Equal("gw-1", frame.GetProperty("gateway").GetString());
    }

    [Theory]
    [InlineData("\"r1\"")]
    [InlineData("\"a\\u0041\\n\"")]
    [InlineData("\"é🎉\"")]
    [InlineData("12.50e1")]
    [InlineData("-0")]
    public void An_ack_echoes_the_id_exactly_as_the_client_wrote_it(string id)
    {
        var bytes = ServerFrames.Ack(Encoding.UTF8.GetBytes(id), "m-1", 3, stored: false);
        var frame = Parse(bytes);

        Assert.Equal(["type", "id", "message", "recipients"], Names(frame));
        Assert.Equal("ack", frame.GetProperty("type").GetString());
        Assert.Equal(id, frame.GetProperty("id").GetRawText());
        Assert.Equal("m-1", frame.GetProperty("message").GetString());
        Assert.Equal(3, frame.GetProperty("recipients").GetInt32());
        Assert.Contains($"\"id\":{id},", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void An_ack_without_an_id_has_a_null_id()
    {
        var frame = Parse(ServerFrames.Ack(null, "m-1", 0, stored: false));

        Assert.Equal(["type", "id", "message", "recipients"], Names(frame));
        Assert.Equal(JsonValueKind.Null, frame.GetProperty("id").ValueKind);
        Assert.Equal(0, frame.GetProperty("recipients").GetInt32());
    }

    [Fact]
    public void An_error_carries_the_id_the_code_and_the_message()
    {
        var frame = Parse(ServerFrames.Error("7"u8.ToArray(), "offline", "user bob is not connected"));

        Assert.Equal(["type", "id", "code", "message"], Names(frame));
        Assert.Equal("error", frame.GetProperty("type").GetString());
        Assert.Equal("7", frame.GetProperty("id").GetRawText());
        Assert.Equal("offline", frame.GetProperty("code").GetString());
        Assert.Equal("user bob is not connected", frame.GetProperty("message").GetString());
    }

    [Fact]
    public void An_error_without_an_id_has_a_null_id()
    {
        var frame = Parse(ServerFrames.Error(null, "too_large", "frame exceeds the 65536-byte limit"));

        Assert.Equal(JsonValueKind.Null, frame.GetProperty("id").ValueKind);
    }

    [Fact]
    public void An_error_message_with_quotes_and_non_ascii_text_survives_as_json()
    {
        const string message = "unknown target \"planète\" in \"to\"; use \"user\" or \"connection\" …\n";

        var frame = Parse(ServerFrames.Error(null, "bad_request", message));

        Assert.Equal(message, frame.GetProperty("message").GetString());
    }

    [Fact]
    public void A_protocol_error_becomes_the_same_frame_as_its_parts()
    {
        var error = new ProtocolError("\"r1\""u8.ToArray(), "unknown_type", "unknown type \"dance\"");

        Assert.Equal(ServerFrames.Error(error.RequestId, error.Code, error.Message), ServerFrames.Error(error));
    }

    [Fact]
    public void A_message_to_a_user_has_the_documented_shape()
    {
        var delivery = new Delivery("m-1", 1_700_000_000_123, "alice", "c-alice", MessageTarget.User("bob"), "{\"text\":\"hi\"}"u8.ToArray(), null);

        var frame = Parse(ServerFrames.Message(delivery));

        Assert.Equal(["type", "message", "from", "to", "body", "ts"], Names(frame));
        Assert.Equal("message", frame.GetProperty("type").GetString());
        Assert.Equal("m-1", frame.GetProperty("message").GetString());
        var from = frame.GetProperty("from");
        Assert.Equal(["user", "connection"], Names(from));
        Assert.Equal("alice", from.GetProperty("user").GetString());
        Assert.Equal("c-alice", from.GetProperty("connection").GetString());
        var to = frame.GetProperty("to");
        Assert.Equal(["user"], Names(to));
        Assert.Equal("bob", to.GetProperty("user").GetString());
        Assert.Equal(1_700_000_000_123, frame.GetProperty("ts").GetInt64());
    }

    [Fact]
    public void A_message_to_a_connection_names_the_connection()
    {
        var delivery = new Delivery("m-1", 1, "alice", "c-alice", MessageTarget.Connection("c-bob"), "1"u8.ToArray(), null);

        var to = Parse(ServerFrames.Message(delivery)).GetProperty("to");

        Assert.Equal(["connection"], Names(to));
        Assert.Equal("c-bob", to.GetProperty("connection").GetString());
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("\"é🎉 \\u00e9 \\\"quoted\\\"\"")]
    [InlineData("-12.5e+10")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1, 2 ,3]")]
    [InlineData("{ \"a\" : [ 1 , { \"b\" : null } ] }")]
    public void A_message_body_is_written_byte_exact(string body)
    {
        var delivery = new Delivery("m-1", 1, "alice", "c-alice", MessageTarget.User("bob"), Encoding.UTF8.GetBytes(body), null);

        var bytes = ServerFrames.Message(delivery);

        Assert.Equal(body, Parse(bytes).GetProperty("body").GetRawText());
        Assert.Contains($"\"body\":{body},\"ts\"", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Each_frame_is_its_own_array_unchanged_by_later_frames()
    {
        var large = ServerFrames.Error(null, "bad_request", new string('x', 5_000));
        var copy = large.ToArray();

        var small = ServerFrames.Welcome("c", "u", "g", "s");

        Assert.Equal(copy, large);
        Assert.NotSame(large, small);
        Assert.Equal("welcome", Parse(small).GetProperty("type").GetString());
    }

    [Fact]
    public void Frames_built_on_many_threads_at_once_are_each_correct()
    {
        var frames = new byte[2_000][];

        Parallel.For(0, frames.Length, i => frames[i] = ServerFrames.Ack(Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"m-{i}", i, stored: false));

        for (var i = 0; i < frames.Length; i++)
        {
            var frame = Parse(frames[i]);
            Assert.Equal(i, frame.GetProperty("id").GetInt32());
            Assert.Equal($"m-{i}", frame.GetProperty("message").GetString());
            Assert.Equal(i, frame.GetProperty("recipients").GetInt32());
        }
    }

    [Theory]
    [InlineData("\"5\"", """{"type":"ack","id":"5","room":"lobby"}""")]
    [InlineData("12.50e1", """{"type":"ack","id":12.50e1,"room":"lobby"}""")]
    [InlineData(null, """{"type":"ack","id":null,"room":"lobby"}""")]
    public void A_room_ack_is_written_as_the_protocol_documents_it(string? id, string expected)
    {
        var frame = ServerFrames.RoomAck(id is null ? null : Encoding.UTF8.GetBytes(id), "lobby");

        Assert.Equal(expected, Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void A_room_ack_names_a_room_with_every_allowed_character()
    {
        var frame = Parse(ServerFrames.RoomAck(null, "org:team.eng-1_x"));

        Assert.Equal("org:team.eng-1_x", frame.GetProperty("room").GetString());
    }

    [Fact]
    public void A_room_presence_answer_is_written_as_the_protocol_documents_it()
    {
        var frame = ServerFrames.RoomPresence("\"7\""u8.ToArray(), "lobby", ["alice", "bob"]);

        Assert.Equal("""{"type":"presence","id":"7","room":"lobby","users":["alice","bob"]}""", Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void An_empty_room_presence_answer_has_an_empty_list()
    {
        var frame = ServerFrames.RoomPresence(null, "nobody-here", []);

        Assert.Equal("""{"type":"presence","id":null,"room":"nobody-here","users":[]}""", Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void A_room_presence_answer_keeps_the_users_in_the_order_given()
    {
        // The router sorts; the frame writes what it is given.
        string[] users = ["bob", "Alice", "_x", "alice"];

        var frame = Parse(ServerFrames.RoomPresence(null, "lobby", users));

        Assert.Equal(users, frame.GetProperty("users").EnumerateArray().Select(user => user.GetString()));
    }

    [Theory]
    [InlineData(2, """{"type":"presence","id":"8","user":"bob","online":true,"connections":2}""")]
    [InlineData(1, """{"type":"presence","id":"8","user":"bob","online":true,"connections":1}""")]
    [InlineData(0, """{"type":"presence","id":"8","user":"bob","online":false,"connections":0}""")]
    public void A_user_presence_answer_says_whether_the_user_is_online_and_how_many_connections_they_have(int connections, string expected)
    {
        var frame = ServerFrames.UserPresence("\"8\""u8.ToArray(), "bob", connections);

        Assert.Equal(expected, Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void A_user_presence_answer_without_an_id_has_a_null_id()
    {
        var frame = ServerFrames.UserPresence(null, "bob", 3);

        Assert.Equal("""{"type":"presence","id":null,"user":"bob","online":true,"connections":3}""", Encoding.UTF8.GetString(frame));
    }

    [Theory]
    [InlineData(MembershipEventKind.Joined, """{"type":"joined","room":"lobby","user":"bob"}""")]
    [InlineData(MembershipEventKind.Left, """{"type":"left","room":"lobby","user":"bob"}""")]
    public void Membership_events_are_written_as_the_protocol_documents_them_without_an_id(MembershipEventKind kind, string expected)
    {
        var frame = ServerFrames.Membership(new MembershipEvent(kind, "lobby", "bob", "c-bob"));

        Assert.Equal(expected, Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void A_membership_event_never_names_the_connection_it_is_about()
    {
        var frame = Encoding.UTF8.GetString(ServerFrames.Membership(new MembershipEvent(MembershipEventKind.Joined, "lobby", "bob", "3f9a0c1be2d47a85")));

        Assert.DoesNotContain("3f9a0c1be2d47a85", frame);
    }

    [Fact]
    public void A_message_to_a_room_names_the_room()
    {
        var delivery = new Delivery("01a2015a013a7cffa8f73b5a7f218125", 1_795_315_833_077, "alice", "28a2726187899b68", MessageTarget.Room("lobby"), "\"hi all\""u8.ToArray(), null);

        var frame = ServerFrames.Message(delivery);

        Assert.Equal(
            """{"type":"message","message":"01a2015a013a7cffa8f73b5a7f218125","from":{"user":"alice","connection":"28a2726187899b68"},"to":{"room":"lobby"},"body":"hi all","ts":1795315833077}""",
            Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void A_message_to_everyone_says_everyone_is_true()
    {
        var delivery = new Delivery("m-1", 1_795_315_833_077, "alice", "28a2726187899b68", MessageTarget.Everyone, "\"announcement\""u8.ToArray(), null);

        var frame = ServerFrames.Message(delivery);

        Assert.Equal(
            """{"type":"message","message":"m-1","from":{"user":"alice","connection":"28a2726187899b68"},"to":{"everyone":true},"body":"announcement","ts":1795315833077}""",
            Encoding.UTF8.GetString(frame));
    }

    private static JsonElement Parse(byte[] frame) => JsonSerializer.Deserialize<JsonElement>(frame);

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];
}
