using System.Runtime.InteropServices;
using System.Text;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Tests.Protocol;

public sealed class ClientFrameParserTests
{
    private const string BadRequest = "bad_request";
    private const string UserRule = "1-128 characters with no spaces, control or invisible characters";
    private const string ConnectionRule = "1-64 letters, digits, '-', '_' or '.'";
    private const string IdRule = "\"id\" must be a string or a number of at most 128 bytes";
    private const string RoomRule = "1-128 letters, digits, '-', '_', '.' or ':'";
    private const string PresenceNeedsOne = "\"presence\" needs exactly one of \"room\" or \"user\"";

    public static TheoryData<string, string?, string, string> Refusals => new()
    {
        // frame, the id echoed (raw JSON, null for none), code, message
        { "[1,2,3]", null, BadRequest, "a frame must be a JSON object" },
        { "\"send\"", null, BadRequest, "a frame must be a JSON object" },
        { "42", null, BadRequest, "a frame must be a JSON object" },
        { "null", null, BadRequest, "a frame must be a JSON object" },
        { "[", null, BadRequest, "a frame must be a JSON object" },
        { """{"id":null,"type":"send"}""", null, BadRequest, IdRule },
        { """{"id":true,"type":"send"}""", null, BadRequest, IdRule },
        { """{"id":{"n":1},"type":"send"}""", null, BadRequest, IdRule },
        { """{"id":["r1"],"type":"send"}""", null, BadRequest, IdRule },
        { """{"id":"r1"}""", "\"r1\"", BadRequest, "missing \"type\"" },
        { "{}", null, BadRequest, "missing \"type\"" },
        { """{"type":7,"id":"r1"}""", "\"r1\"", BadRequest, "\"type\" must be a string" },
        { """{"type":null,"id":"r1"}""", "\"r1\"", BadRequest, "\"type\" must be a string" },
        { """{"type":{"type":"send"},"id":"r1"}""", "\"r1\"", BadRequest, "\"type\" must be a string" },
        { """{"type":"dance","id":"r1"}""", "\"r1\"", "unknown_type", "unknown type \"dance\"" },
        { """{"type":"Send","id":"r1"}""", "\"r1\"", "unknown_type", "unknown type \"Send\"" },
        { """{"type":"abcdefghijklmnopqrstuvwxyz0123456789","id":3}""", "3", "unknown_type", "unknown type \"abcdefghijklmnopqrstuvwxyz012345…\"" },
        { """{"type":"dance","id":"r1","to":5}""", "\"r1\"", "unknown_type", "unknown type \"dance\"" },
        { """{"type":"send","id":"r1","body":1}""", "\"r1\"", BadRequest, "\"send\" needs \"to\", such as {\"user\":\"bob\"}" },
        { """{"type":"send","id":"r1","to":{"user":"bob"}}""", "\"r1\"", BadRequest, "\"send\" needs a \"body\" (any JSON value)" },
        { """{"type":"send","id":"r1","to":"bob","body":1}""", "\"r1\"", BadRequest, "\"to\" must be an object such as {\"user\":\"bob\"}" },
        { """{"type":"send","id":"r1","to":["bob"],"body":1}""", "\"r1\"", BadRequest, "\"to\" must be an object such as {\"user\":\"bob\"}" },
        { """{"type":"send","id":"r1","to":null,"body":1}""", "\"r1\"", BadRequest, "\"to\" must be an object such as {\"user\":\"bob\"}" },
        { """{"type":"send","id":"r1","to":{},"body":1}""", "\"r1\"", BadRequest, "\"to\" must name one of \"user\", \"connection\", \"room\" or \"everyone\"" },
        { """{"type":"send","id":"r1","to":{"planet":"mars"},"body":1}""", "\"r1\"", BadRequest, "unknown target \"planet\" in \"to\"; use \"user\", \"connection\", \"room\" or \"everyone\"" },
        { """{"type":"send","id":"r1","to":{"abcdefghijklmnopqrstuvwxyz0123456789":1},"body":1}""", "\"r1\"", BadRequest, "unknown target \"abcdefghijklmnopqrstuvwxyz012345…\" in \"to\"; use \"user\", \"connection\", \"room\" or \"everyone\"" },
        { """{"type":"send","id":"r1","to":{"planet":"mars","user":5},"body":1}""", "\"r1\"", BadRequest, "unknown target \"planet\" in \"to\"; use \"user\", \"connection\", \"room\" or \"everyone\"" },
        { """{"type":"send","id":"r1","to":{"user":"bob","connection":"abc"},"body":1}""", "\"r1\"", BadRequest, "\"to\" must name exactly one target" },
        { """{"type":"send","id":"r1","to":{"user":"bob","user":"eve"},"body":1}""", "\"r1\"", BadRequest, "\"to\" must name exactly one target" },
        { """{"type":"send","id":"r1","to":{"user":42},"body":1}""", "\"r1\"", BadRequest, "\"to.user\" must be a string" },
        { """{"type":"send","id":"r1","to":{"user":{"name":"bob"}},"body":1}""", "\"r1\"", BadRequest, "\"to.user\" must be a string" },
        { """{"type":"send","id":"r1","to":{"connection":null},"body":1}""", "\"r1\"", BadRequest, "\"to.connection\" must be a string" },
        { """{"type":"send","id":"r1","to":{"user":"no spaces"},"body":1}""", "\"r1\"", BadRequest, "\"to.user\" must be " + UserRule },
        { """{"type":"send","id":"r1","to":{"user":""},"body":1}""", "\"r1\"", BadRequest, "\"to.user\" must be " + UserRule },
        { """{"type":"send","id":"r1","to":{"user":"tab\there"},"body":1}""", "\"r1\"", BadRequest, "\"to.user\" must be " + UserRule },
        { "{\"type\":\"send\",\"id\":\"r1\",\"to\":{\"user\":\"" + new string('a', 129) + "\"},\"body\":1}", "\"r1\"", BadRequest, "\"to.user\" must be " + UserRule },
        { """{"type":"send","id":"r1","to":{"connection":"a/b"},"body":1}""", "\"r1\"", BadRequest, "\"to.connection\" must be " + ConnectionRule },
        { """{"type":"send","id":"r1","to":{"user":"bob","planet":"mars"}}""", "\"r1\"", BadRequest, "unknown target \"planet\" in \"to\"; use \"user\", \"connection\", \"room\" or \"everyone\"" },
    };

    public static TheoryData<string, string?, string, string> RoomRefusals => new()
    {
        // frame, the id echoed (raw JSON, null for none), code, message
        { """{"type":"join","id":"r1"}""", "\"r1\"", BadRequest, "\"join\" needs a \"room\"" },
        { """{"type":"leave","id":"r1"}""", "\"r1\"", BadRequest, "\"leave\" needs a \"room\"" },
        { """{"type":"join","id":"r1","to":{"room":"lobby"}}""", "\"r1\"", BadRequest, "\"join\" needs a \"room\"" },
        { """{"type":"join","id":"r1","room":5}""", "\"r1\"", BadRequest, "\"room\" must be a string" },
        { """{"type":"join","id":"r1","room":null}""", "\"r1\"", BadRequest, "\"room\" must be a string" },
        { """{"type":"leave","id":"r1","room":["lobby"]}""", "\"r1\"", BadRequest, "\"room\" must be a string" },
        { """{"type":"leave","id":"r1","room":{"name":"lobby"}}""", "\"r1\"", BadRequest, "\"room\" must be a string" },
        { """{"type":"join","id":"r1","room":""}""", "\"r1\"", BadRequest, "\"room\" must be " + RoomRule },
        { """{"type":"join","id":"r1","room":"no spaces"}""", "\"r1\"", BadRequest, "\"room\" must be " + RoomRule },
        { """{"type":"join","id":"r1","room":"a/b"}""", "\"r1\"", BadRequest, "\"room\" must be " + RoomRule },
        { """{"type":"leave","id":"r1","room":"salle-é"}""", "\"r1\"", BadRequest, "\"room\" must be " + RoomRule },
        { "{\"type\":\"join\",\"id\":\"r1\",\"room\":\"" + new string('r', 129) + "\"}", "\"r1\"", BadRequest, "\"room\" must be " + RoomRule },
        { """{"type":"join","id":null,"room":"lobby"}""", null, BadRequest, IdRule },
        { """{"type":"Join","id":"r1","room":"lobby"}""", "\"r1\"", "unknown_type", "unknown type \"Join\"" },
        { """{"id":"r1","room":"lobby"}""", "\"r1\"", BadRequest, "missing \"type\"" },
        { """{"type":"presence","id":"r1"}""", "\"r1\"", BadRequest, PresenceNeedsOne },
        { """{"type":"presence","id":"r1","room":"lobby","user":"bob"}""", "\"r1\"", BadRequest, PresenceNeedsOne },
        { """{"type":"presence","id":"r1","to":{"user":"bob"}}""", "\"r1\"", BadRequest, PresenceNeedsOne },
        { """{"type":"presence","id":"r1","user":7}""", "\"r1\"", BadRequest, "\"user\" must be a string" },
        { """{"type":"presence","id":"r1","user":"a b"}""", "\"r1\"", BadRequest, "\"user\" must be " + UserRule },
        { """{"type":"presence","id":"r1","user":""}""", "\"r1\"", BadRequest, "\"user\" must be " + UserRule },
        { """{"type":"presence","id":"r1","room":"no spaces"}""", "\"r1\"", BadRequest, "\"room\" must be " + RoomRule },
        { """{"type":"presence","id":"r1","room":false}""", "\"r1\"", BadRequest, "\"room\" must be a string" },
        { """{"type":"send","id":"r1","to":{"everyone":false},"body":1}""", "\"r1\"", BadRequest, "\"to.everyone\" must be true" },
        { """{"type":"send","id":"r1","to":{"everyone":"true"},"body":1}""", "\"r1\"", BadRequest, "\"to.everyone\" must be true" },
        { """{"type":"send","id":"r1","to":{"everyone":1},"body":1}""", "\"r1\"", BadRequest, "\"to.everyone\" must be true" },
        { """{"type":"send","id":"r1","to":{"everyone":null},"body":1}""", "\"r1\"", BadRequest, "\"to.everyone\" must be true" },
        { """{"type":"send","id":"r1","to":{"everyone":{"all":true}},"body":1}""", "\"r1\"", BadRequest, "\"to.everyone\" must be true" },
        { """{"type":"send","id":"r1","to":{"room":"lobby","everyone":true},"body":1}""", "\"r1\"", BadRequest, "\"to\" must name exactly one target" },
        { """{"type":"send","id":"r1","to":{"everyone":true,"everyone":true},"body":1}""", "\"r1\"", BadRequest, "\"to\" must name exactly one target" },
        { """{"type":"send","id":"r1","to":{"user":"bob","room":"lobby"},"body":1}""", "\"r1\"", BadRequest, "\"to\" must name exactly one target" },
        { """{"type":"send","id":"r1","to":{"room":7},"body":1}""", "\"r1\"", BadRequest, "\"to.room\" must be a string" },
        { """{"type":"send","id":"r1","to":{"room":"no spaces"},"body":1}""", "\"r1\"", BadRequest, "\"to.room\" must be " + RoomRule },
        { """{"type":"send","id":"r1","to":{"room":""},"body":1}""", "\"r1\"", BadRequest, "\"to.room\" must be " + RoomRule },
        { "{\"type\":\"send\",\"id\":\"r1\",\"to\":{\"room\":\"" + new string('r', 129) + "\"},\"body\":1}", "\"r1\"", BadRequest, "\"to.room\" must be " + RoomRule },
        { """{"type":"send","id":"r1","to":{"room":"lobby"}}""", "\"r1\"", BadRequest, "\"send\" needs a \"body\" (any JSON value)" },
        { """{"type":"send","id":"r1","to":{"everyone":true}}""", "\"r1\"", BadRequest, "\"send\" needs a \"body\" (any JSON value)" },
        { """{"type":"send","id":"r1","room":"lobby","body":1}""", "\"r1\"", BadRequest, "\"send\" needs \"to\", such as {\"user\":\"bob\"}" },
    };

    public static TheoryData<string> Bodies => new()
    {
        "\"text\"",
        "\"\"",
        """ "with \"escapes\" \u00e9 and \n" """.Trim(),
        "\"ünïcödé 🎉 written as UTF-8\"",
        "0",
        "-12.5e+10",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "[1, 2 ,3]",
        """{ "a" : [ 1 , { "b" : null } ],	"c":"d" }""",
        """{"type":"send","id":"inner","to":{"user":"eve"},"body":0}""",
        "[\n  \"multi\",\r\n  \"line\"\n]",
    };

    [Fact]
    public void A_send_to_a_user_is_parsed()
    {
        var send = ParseSend("""{"type":"send","id":"r1","to":{"user":"bob"},"body":{"text":"hi"}}""");

        Assert.Equal("\"r1\"", Raw(send.RequestId));
        Assert.Equal(MessageTarget.User("bob"), send.Target);
        Assert.Equal("""{"text":"hi"}""", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Fact]
    public void A_send_to_a_connection_is_parsed()
    {
        var send = ParseSend("""{"type":"send","id":"r1","to":{"connection":"3f9a0c1be2d47a85"},"body":1}""");

        Assert.Equal(MessageTarget.Connection("3f9a0c1be2d47a85"), send.Target);
    }

    [Theory]
    [InlineData("\"r1\"")]
    [InlineData("\"\"")]
    [InlineData("\"a\\u0041\\n\"")]
    [InlineData("\"é🎉\"")]
    [InlineData("7")]
    [InlineData("-0")]
    [InlineData("12.50e1")]
    [InlineData("1E+400")]
    public void The_id_is_kept_exactly_as_the_client_wrote_it(string id)
    {
        var send = ParseSend($$"""{"type":"send","id":{{id}},"to":{"user":"bob"},"body":1}""");

        Assert.Equal(id, Raw(send.RequestId));
    }

    [Fact]
    public void A_frame_without_an_id_has_none()
    {
        var send = ParseSend("""{"type":"send","to":{"user":"bob"},"body":1}""");

        Assert.Null(send.RequestId);
    }

    [Fact]
    public void Fields_may_come_in_any_order()
    {
        var send = ParseSend("""{"body":[1],"to":{"user":"bob"},"id":5,"type":"send"}""");

        Assert.Equal("5", Raw(send.RequestId));
        Assert.Equal(MessageTarget.User("bob"), send.Target);
        Assert.Equal("[1]", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void A_body_of_any_json_kind_is_kept_byte_exact(string body)
    {
        var send = ParseSend($$"""{"type":"send","id":"r1","to":{"user":"bob"},"body":{{body}}}""");

        Assert.Equal(Encoding.UTF8.GetBytes(body), send.Body.ToArray());
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Whitespace_around_the_body_is_not_part_of_it(string body)
    {
        var send = ParseSend($$"""{ "body" :  {{body}}  , "type" : "send" , "to" : { "user" : "bob" } }""");

        Assert.Equal(Encoding.UTF8.GetBytes(body), send.Body.ToArray());
    }

    [Fact]
    public void The_body_is_a_slice_of_the_frame_not_a_copy()
    {
        var frame = Encoding.UTF8.GetBytes("""{"type":"send","to":{"user":"bob"},"body":"payload"}""");

        Assert.True(ClientFrameParser.TryParse(frame, out var command, out _));

        var send = Assert.IsType<SendCommand>(command);
        Assert.True(MemoryMarshal.TryGetArray(send.Body, out var segment));
        Assert.Same(frame, segment.Array);
        Assert.Equal(frame.AsSpan().IndexOf("\"payload\""u8), segment.Offset);
    }

    [Fact]
    public void Unknown_fields_are_ignored_even_when_they_contain_known_names()
    {
        var send = ParseSend("""
            {"version":2,"type":"send","meta":{"type":"evil","id":"x","to":{"user":"eve"},"body":0},
             "id":"r1","tags":["type","id"],"to":{"user":"bob"},"body":"real","extra":null}
            """);

        Assert.Equal("\"r1\"", Raw(send.RequestId));
        Assert.Equal(MessageTarget.User("bob"), send.Target);
        Assert.Equal("\"real\"", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Fact]
    public void Whitespace_after_the_object_is_allowed()
    {
        var send = ParseSend("  \r\n{\"type\":\"send\",\"to\":{\"user\":\"bob\"},\"body\":1} \t\r\n ");

        Assert.Equal("1", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Fact]
    public void Escaped_field_names_are_recognised()
    {
        var send = ParseSend("""{"\u0074ype":"send","to":{"\u0075ser":"bob"},"body":1}""");

        Assert.Equal(MessageTarget.User("bob"), send.Target);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(126)]
    public void A_string_id_of_up_to_128_bytes_with_its_quotes_is_accepted(int length)
    {
        var id = "\"" + new string('i', length) + "\"";

        Assert.Equal(id, Raw(ParseSend($$"""{"type":"send","id":{{id}},"to":{"user":"bob"},"body":1}""").RequestId));
    }

    [Fact]
    public void A_number_id_of_128_bytes_is_accepted()
    {
        var id = new string('9', 128);

        Assert.Equal(id, Raw(ParseSend($$"""{"type":"send","id":{{id}},"to":{"user":"bob"},"body":1}""").RequestId));
    }

    [Fact]
    public void An_id_of_129_bytes_is_refused_without_echoing_it()
    {
        foreach (var id in new[] { "\"" + new string('i', 127) + "\"", new string('9', 129) })
        {
            var error = ParseError($$"""{"type":"send","id":{{id}},"to":{"user":"bob"},"body":1}""");

            Assert.Null(error.RequestId);
            Assert.Equal(BadRequest, error.Code);
            Assert.Equal(IdRule, error.Message);
        }
    }

    [Fact]
    public void The_id_limit_counts_utf8_bytes_not_characters()
    {
        // 63 two-byte characters and the quotes are 128 bytes; one more character is 130.
        var fits = "\"" + new string('é', 63) + "\"";
        var tooLong = "\"" + new string('é', 64) + "\"";

        Assert.Equal(fits, Raw(ParseSend($$"""{"type":"send","id":{{fits}},"to":{"user":"bob"},"body":1}""").RequestId));
        Assert.Equal(IdRule, ParseError($$"""{"type":"send","id":{{tooLong}},"to":{"user":"bob"},"body":1}""").Message);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_wrong_frame_is_refused_with_its_code_and_message(string frame, string? id, string code, string message)
    {
        var error = ParseError(frame);

        Assert.Equal(id, Raw(error.RequestId));
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("{\"type\":\"send\"")]
    [InlineData("{\"type\":\"send\",}")]
    [InlineData("{\"type\":'send'}")]
    [InlineData("{type:\"send\"}")]
    [InlineData("{\"type\":\"send\"} {}")]
    [InlineData("{\"type\":\"send\"}x")]
    [InlineData("{\"type\":\"send\",\"to\":{\"user\":\"bob\"},\"body\":tru}")]
    [InlineData("{\"type\":\"send\",\"to\":{\"user\":\"bob\"},\"body\":[1,2}")]
    public void Malformed_json_is_refused_with_the_reason_and_position(string frame)
    {
        var error = ParseError(frame);

        Assert.Null(error.RequestId);
        Assert.Equal(BadRequest, error.Code);
        Assert.StartsWith("malformed JSON: ", error.Message);
        Assert.Matches(@" \(at byte \d+\)$", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
    }

    [Theory]
    [InlineData("{\"type\":x}", 8)]
    [InlineData("{\"type\":\"send\"}x", 15)]
    [InlineData("{\"type\":\"send\",\"id\":1,}", 22)]
    public void A_malformed_json_error_names_the_byte_where_reading_failed(string frame, int position)
    {
        Assert.EndsWith($"(at byte {position})", ParseError(frame).Message);
    }

    [Theory]
    [InlineData("{\"id\":\"r1\",\"type\":\"send\",\"to\":{\"user\":\"bob\"},\"body\":tru}", "\"r1\"")]
    [InlineData("{\"id\":7,\"type\":}", "7")]
    [InlineData("{\"id\":\"r1\",\"type\":\"send\"} trailing", "\"r1\"")]
    public void Malformed_json_after_the_id_still_echoes_the_id(string frame, string id)
    {
        var error = ParseError(frame);

        Assert.Equal(id, Raw(error.RequestId));
        Assert.StartsWith("malformed JSON: ", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    public void A_frame_that_is_not_valid_utf8_is_refused_before_reading_its_id(byte[] invalid)
    {
        byte[] frame = [.. Encoding.UTF8.GetBytes("{\"id\":\"r1\",\"type\":\"send\",\"to\":{\"user\":\"bob\"},\"body\":\""), .. invalid, .. "\"}"u8.ToArray()];

        var error = ParseError(frame);

        Assert.Null(error.RequestId);
        Assert.Equal(BadRequest, error.Code);
        Assert.Equal("the frame is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Nesting_up_to_64_levels_is_accepted()
    {
        // The frame object is level 1, so the body may nest 63 more.
        var body = new string('[', 63) + new string(']', 63);

        var send = ParseSend($$"""{"type":"send","to":{"user":"bob"},"body":{{body}}}""");

        Assert.Equal(body, Encoding.UTF8.GetString(send.Body.Span));
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_refused()
    {
        var body = new string('[', 64) + new string(']', 64);

        var error = ParseError($$"""{"type":"send","id":"r1","to":{"user":"bob"},"body":{{body}}}""");

        Assert.Equal("\"r1\"", Raw(error.RequestId));
        Assert.StartsWith("malformed JSON: ", error.Message);
        Assert.Contains("64", error.Message);
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_refused_in_ignored_fields_too()
    {
        var deep = new string('{', 1) + string.Concat(Enumerable.Repeat("\"a\":{", 64)) + new string('}', 65);

        var error = ParseError($$"""{"type":"send","extra":{{deep}},"to":{"user":"bob"},"body":1}""");

        Assert.StartsWith("malformed JSON: ", error.Message);
    }

    [Fact]
    public void A_send_to_a_room_is_parsed()
    {
        var send = ParseSend("""{"type":"send","id":"3","to":{"room":"lobby"},"body":"hi all"}""");

        Assert.Equal("\"3\"", Raw(send.RequestId));
        Assert.Equal(MessageTarget.Room("lobby"), send.Target);
        Assert.Equal("\"hi all\"", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Fact]
    public void A_send_to_everyone_is_parsed()
    {
        var send = ParseSend("""{"type":"send","id":"4","to":{"everyone":true},"body":"announcement"}""");

        Assert.Equal(MessageTarget.Everyone, send.Target);
        Assert.Equal(TargetKind.Everyone, send.Target.Kind);
        Assert.Equal("\"announcement\"", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Theory]
    [InlineData("lobby")]
    [InlineData("team:eng.backend_1-x")]
    [InlineData(":")]
    [InlineData("A")]
    public void A_room_target_may_use_every_character_a_room_name_allows(string room)
    {
        Assert.Equal(MessageTarget.Room(room), ParseSend($$"""{"type":"send","to":{"room":"{{room}}"},"body":1}""").Target);
    }

    [Fact]
    public void A_colon_is_allowed_in_room_and_user_targets_but_not_in_a_connection_target()
    {
        Assert.Equal(MessageTarget.Room("a:b"), ParseSend("""{"type":"send","to":{"room":"a:b"},"body":1}""").Target);
        Assert.Equal(MessageTarget.User("a:b"), ParseSend("""{"type":"send","to":{"user":"a:b"},"body":1}""").Target);
        Assert.Equal("\"to.connection\" must be " + ConnectionRule, ParseError("""{"type":"send","to":{"connection":"a:b"},"body":1}""").Message);
    }

    [Fact]
    public void A_room_name_of_128_characters_is_accepted_in_every_place_a_room_is_named()
    {
        var room = new string('r', 128);

        Assert.Equal(MessageTarget.Room(room), ParseSend($$"""{"type":"send","to":{"room":"{{room}}"},"body":1}""").Target);
        Assert.Equal(room, Parse<JoinCommand>($$"""{"type":"join","room":"{{room}}"}""").Room);
        Assert.Equal(room, Parse<LeaveCommand>($$"""{"type":"leave","room":"{{room}}"}""").Room);
        Assert.Equal(MessageTarget.Room(room), Parse<PresenceCommand>($$"""{"type":"presence","room":"{{room}}"}""").Target);
    }

    [Fact]
    public void A_join_is_parsed()
    {
        var join = Parse<JoinCommand>("""{"type":"join","id":"5","room":"lobby"}""");

        Assert.Equal("\"5\"", Raw(join.RequestId));
        Assert.Equal("lobby", join.Room);
    }

    [Fact]
    public void A_leave_is_parsed()
    {
        var leave = Parse<LeaveCommand>("""{"type":"leave","id":"6","room":"lobby"}""");

        Assert.Equal("\"6\"", Raw(leave.RequestId));
        Assert.Equal("lobby", leave.Room);
    }

    [Fact]
    public void A_presence_question_about_a_room_is_parsed()
    {
        var query = Parse<PresenceCommand>("""{"type":"presence","id":"7","room":"lobby"}""");

        Assert.Equal("\"7\"", Raw(query.RequestId));
        Assert.Equal(MessageTarget.Room("lobby"), query.Target);
    }

    [Fact]
    public void A_presence_question_about_a_user_is_parsed()
    {
        var query = Parse<PresenceCommand>("""{"type":"presence","id":8,"user":"bob"}""");

        Assert.Equal("8", Raw(query.RequestId));
        Assert.Equal(MessageTarget.User("bob"), query.Target);
    }

    [Fact]
    public void Joins_leaves_and_presence_questions_without_an_id_have_none()
    {
        Assert.Null(Parse<JoinCommand>("""{"type":"join","room":"lobby"}""").RequestId);
        Assert.Null(Parse<LeaveCommand>("""{"type":"leave","room":"lobby"}""").RequestId);
        Assert.Null(Parse<PresenceCommand>("""{"type":"presence","user":"bob"}""").RequestId);
    }

    [Fact]
    public void The_fields_of_a_join_may_come_in_any_order_with_unknown_ones_between()
    {
        var join = Parse<JoinCommand>("""{"room":"lobby","extra":{"room":"other","type":"leave"},"id":1,"type":"join"}""");

        Assert.Equal("1", Raw(join.RequestId));
        Assert.Equal("lobby", join.Room);
    }

    [Fact]
    public void Escaped_room_and_everyone_field_names_are_recognised()
    {
        Assert.Equal("lobby", Parse<JoinCommand>("""{"type":"join","\u0072oom":"lobby"}""").Room);
        Assert.Equal(MessageTarget.Everyone, ParseSend("""{"type":"send","to":{"\u0065veryone":true},"body":1}""").Target);
        Assert.Equal(MessageTarget.Room("lobby"), ParseSend("""{"type":"send","to":{"r\u006fom":"lobby"},"body":1}""").Target);
    }

    [Fact]
    public void A_top_level_room_does_not_change_where_a_send_goes()
    {
        var send = ParseSend("""{"type":"send","room":"lobby","to":{"user":"bob"},"body":1}""");

        Assert.Equal(MessageTarget.User("bob"), send.Target);
    }

    [Fact]
    public void A_room_question_ignores_what_only_a_send_reads()
    {
        var query = Parse<PresenceCommand>("""{"type":"presence","id":"7","room":"lobby","to":{"user":"bob"},"body":1}""");

        Assert.Equal(MessageTarget.Room("lobby"), query.Target);
    }

    [Theory]
    [MemberData(nameof(RoomRefusals))]
    public void A_wrong_room_frame_is_refused_with_its_code_and_message(string frame, string? id, string code, string message)
    {
        var error = ParseError(frame);

        Assert.Equal(id, Raw(error.RequestId));
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    private static T Parse<T>(string frame)
        where T : ClientCommand
    {
        var parsed = ClientFrameParser.TryParse(Encoding.UTF8.GetBytes(frame), out var command, out var error);

        Assert.True(parsed, error?.Message);
        Assert.Null(error);
        return Assert.IsType<T>(command);
    }

    private static SendCommand ParseSend(string frame)
    {
        var parsed = ClientFrameParser.TryParse(Encoding.UTF8.GetBytes(frame), out var command, out var error);

        Assert.True(parsed, error?.Message);
        Assert.Null(error);
        return Assert.IsType<SendCommand>(command);
    }

    private static ProtocolError ParseError(string frame) => ParseError(Encoding.UTF8.GetBytes(frame));

    private static ProtocolError ParseError(byte[] frame)
    {
        var parsed = ClientFrameParser.TryParse(frame, out var command, out var error);

        Assert.False(parsed);
        Assert.Null(command);
        return Assert.IsType<ProtocolError>(error);
    }

    private static string? Raw(byte[]? id) => id is null ? null : Encoding.UTF8.GetString(id);

    [Theory]
    [InlineData("{\"id\":\"r1\",\"type\":\"\\ud800\"}")]
    [InlineData("{\"type\":\"send\",\"id\":\"r1\",\"to\":{\"user\":\"\\udc00\"},\"body\":1}")]
    [InlineData("{\"type\":\"send\",\"id\":\"r1\",\"to\":{\"\\ud800\":\"bob\"},\"body\":1}")]
    public void A_string_escaping_a_lone_surrogate_is_refused_as_malformed_json(string frame)
    {
        var error = ParseError(frame);

        Assert.Equal("\"r1\"", Raw(error.RequestId));
        Assert.Equal(BadRequest, error.Code);
        Assert.StartsWith("malformed JSON: ", error.Message);
    }

    [Fact]
    public void A_plain_word_is_malformed_json_with_the_position_docs_protocol_shows()
    {
        Assert.False(ClientFrameParser.TryParse("hello"u8.ToArray(), out _, out var error));

        Assert.Equal("malformed JSON: 'h' is an invalid start of a value (at byte 0)", error.Message);
    }
}
