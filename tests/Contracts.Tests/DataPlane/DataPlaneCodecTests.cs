using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Contracts.Tests.DataPlane;

public sealed class DataPlaneCodecTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static readonly byte[] JsonBody = """{"text":"hi there","n":[1, 2, 3]}"""u8.ToArray();

    public static TheoryData<string> Texts => new()
    {
        "",
        "a",
        "plain-ascii_1.2",
        "ünïcödé",
        "日本語のテキスト",
        "emoji 🎉 and a clef 𝄞 (surrogate pairs)",
        "control\n\t\0characters",
        new string('é', 200),
    };

    public static TheoryData<TargetKind> TargetKinds => [.. Enum.GetValues<TargetKind>()];

    public static TheoryData<SendStatus> Statuses => [.. Enum.GetValues<SendStatus>()];

    public static TheoryData<PayloadKind> Kinds => [.. Enum.GetValues<PayloadKind>()];

    public static TheoryData<string?> TraceParents => new() { null, "", TraceParent };

    // Lengths around the varint boundaries (1, 2 and 3 bytes) and a body at the 64 KiB frame limit.
    public static TheoryData<int> BodyLengths => new() { 0, 1, 127, 128, 16_383, 16_384, 64 * 1024, 64 * 1024 + 1 };

    [Theory]
    [MemberData(nameof(Texts))]
    public void An_inbound_message_round_trips_with_any_text_in_its_strings(string text)
    {
        var message = new InboundMessage(
            MessageId: "m-" + text,
            Timestamp: 1_700_000_000_123,
            GatewayId: text,
            ConnectionId: text + "c",
            UserId: "u" + text,
            Target: MessageTarget.User(text),
            Body: JsonBody,
            TraceParent: text);

        var decoded = DataPlaneCodec.DecodeInbound(DataPlaneCodec.Encode(message));

        AssertSame(message, decoded);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_delivery_round_trips_with_any_text_in_its_strings(string text)
    {
        var delivery = new Delivery(
            MessageId: text,
            Timestamp: -42,
            FromUser: "u" + text,
            FromConnection: text + "c",
            Target: MessageTarget.Connection(text),
            Body: JsonBody,
            TraceParent: text);

        var decoded = DataPlaneCodec.DecodeDelivery(DataPlaneCodec.Encode(delivery));

        AssertSame(delivery, decoded);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_send_outcome_round_trips_with_any_text_in_its_strings(string text)
    {
        var outcome = new SendOutcome(MessageId: text, ConnectionId: "c" + text, SendStatus.Routed, Recipients: 3);

        var decoded = DataPlaneCodec.DecodeOutcome(DataPlaneCodec.Encode(outcome));

        Assert.Equal(outcome, decoded);
    }

    [Theory]
    [MemberData(nameof(TargetKinds))]
    public void Every_target_kind_round_trips_in_inbound_messages_and_deliveries(TargetKind kind)
    {
        var target = new MessageTarget(kind, "bob");

        var inbound = DataPlaneCodec.DecodeInbound(DataPlaneCodec.Encode(Inbound() with { Target = target }));
        var delivery = DataPlaneCodec.DecodeDelivery(DataPlaneCodec.Encode(Delivery() with { Target = target }));

        Assert.Equal(target, inbound.Target);
        Assert.Equal(target, delivery.Target);
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Every_send_status_round_trips(SendStatus status)
    {
        var outcome = new SendOutcome("m1", "c1", status, 1);

        Assert.Equal(status, DataPlaneCodec.DecodeOutcome(DataPlaneCodec.Encode(outcome)).Status);
    }

    [Theory]
    [MemberData(nameof(TraceParents))]
    public void A_missing_an_empty_and_a_present_trace_parent_stay_distinct(string? traceParent)
    {
        var inbound = DataPlaneCodec.DecodeInbound(DataPlaneCodec.Encode(Inbound() with { TraceParent = traceParent }));
        var delivery = DataPlaneCodec.DecodeDelivery(DataPlaneCodec.Encode(Delivery() with { TraceParent = traceParent }));

        Assert.Equal(traceParent, inbound.TraceParent);
        Assert.Equal(traceParent, delivery.TraceParent);
    }

    [Theory]
    [MemberData(nameof(BodyLengths))]
    public void Bodies_of_any_length_round_trip_byte_exact(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);

        var inbound = DataPlaneCodec.DecodeInbound(DataPlaneCodec.Encode(Inbound() with { Body = body }));
        var delivery = DataPlaneCodec.DecodeDelivery(DataPlaneCodec.Encode(Delivery() with { Body = body }));

        Assert.Equal(body, inbound.Body.ToArray());
        Assert.Equal(body, delivery.Body.ToArray());
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(1_700_000_000_123L)]
    [InlineData(long.MaxValue)]
    public void Timestamps_round_trip_over_the_whole_range(long timestamp)
    {
        var inbound = DataPlaneCodec.DecodeInbound(DataPlaneCodec.Encode(Inbound() with { Timestamp = timestamp }));
        var delivery = DataPlaneCodec.DecodeDelivery(DataPlaneCodec.Encode(Delivery() with { Timestamp = timestamp }));

        Assert.Equal(timestamp, inbound.Timestamp);
        Assert.Equal(timestamp, delivery.Timestamp);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_384)]
    [InlineData(int.MaxValue)]
    public void Recipient_counts_round_trip(int recipients)
    {
        var outcome = new SendOutcome("m1", "c1", SendStatus.Routed, recipients);

        Assert.Equal(recipients, DataPlaneCodec.DecodeOutcome(DataPlaneCodec.Encode(outcome)).Recipients);
    }

    [Fact]
    public void An_outcome_has_the_documented_wire_layout()
    {
        var payload = DataPlaneCodec.Encode(new SendOutcome("m", "cd", SendStatus.Offline, 300));

        // kind, version 2, "m", "cd", status, 300 as LEB128 (0xAC 0x02), not stored.
        byte[] expected = [3, 2, 1, (byte)'m', 2, (byte)'c', (byte)'d', 2, 0xAC, 0x02, 0];
        Assert.Equal(expected, payload);
    }

    [Fact]
    public void An_inbound_message_has_the_documented_wire_layout()
    {
        var message = new InboundMessage("m", 0x0102030405060708, "g", "c", "u", MessageTarget.Connection("t"), "1"u8.ToArray(), null);

        var payload = DataPlaneCodec.Encode(message);

        // Strings are length-prefixed UTF-8, the timestamp little-endian, a null trace parent is a
        // zero length (a present one is stored as length + 1).
        byte[] expected =
        [
            1, 1,
            1, (byte)'m',
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
            1, (byte)'g',
            1, (byte)'c',
            1, (byte)'u',
            2, 1, (byte)'t',
            0,
            1, (byte)'1',
        ];
        Assert.Equal(expected, payload);
    }

    [Fact]
    public void A_present_trace_parent_is_stored_as_its_length_plus_one()
    {
        var withEmpty = DataPlaneCodec.Encode(Inbound() with { TraceParent = "", Body = ReadOnlyMemory<byte>.Empty });
        var withNull = DataPlaneCodec.Encode(Inbound() with { TraceParent = null, Body = ReadOnlyMemory<byte>.Empty });

        // The trace parent is followed only by the empty body's zero length.
        Assert.Equal(1, withEmpty[^2]);
        Assert.Equal(0, withNull[^2]);
    }

    [Fact]
    public void Peek_kind_names_the_kind_of_every_payload()
    {
        Assert.Equal(PayloadKind.Inbound, DataPlaneCodec.PeekKind(DataPlaneCodec.Encode(Inbound())));
        Assert.Equal(PayloadKind.Delivery, DataPlaneCodec.PeekKind(DataPlaneCodec.Encode(Delivery())));
        Assert.Equal(PayloadKind.Outcome, DataPlaneCodec.PeekKind(DataPlaneCodec.Encode(Outcome())));
    }

    [Fact]
    public void Peek_kind_reports_an_unknown_kind_as_it_is_so_the_reader_can_skip_it()
    {
        Assert.Equal((PayloadKind)200, DataPlaneCodec.PeekKind([200, 1]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Peek_kind_rejects_a_payload_shorter_than_its_header(int length)
    {
        Assert.Throws<FormatException>(() => DataPlaneCodec.PeekKind(new byte[length]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Decoding_a_payload_as_another_kind_is_rejected(PayloadKind kind)
    {
        var payload = Encode(kind);

        foreach (var other in Enum.GetValues<PayloadKind>().Where(other => other != kind))
        {
            var exception = Assert.Throws<FormatException>(() => Decode(other, payload));
            Assert.Contains($"Expected a {other} payload", exception.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_payload_with_an_unknown_version_is_rejected(PayloadKind kind)
    {
        // Deliveries read 1 to 3 (3: from a system sender), inbound messages and outcomes 1 and 2, the rest 1.
        byte[] unknown = kind switch
        {
            PayloadKind.Delivery => [0, 4, 255],
            PayloadKind.Inbound or PayloadKind.Outcome => [0, 3, 255],
            _ => [0, 2, 255],
        };
        foreach (var version in unknown)
        {
            var payload = Encode(kind);
            payload[1] = version;

            var exception = Assert.Throws<FormatException>(() => Decode(kind, payload));
            Assert.Contains($"version {version}", exception.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_truncation_of_a_payload_is_rejected(PayloadKind kind)
    {
        var payload = Encode(kind);

        for (var length = 0; length < payload.Length; length++)
        {
            var prefix = payload.AsMemory(0, length);
            Assert.Throws<FormatException>(() => Decode(kind, prefix));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Trailing_bytes_after_a_payload_are_rejected(PayloadKind kind)
    {
        foreach (var extra in new[] { 1, 7 })
        {
            byte[] payload = [.. Encode(kind), .. new byte[extra]];

            var exception = Assert.Throws<FormatException>(() => Decode(kind, payload));
            Assert.Contains("Trailing bytes", exception.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_payload_inside_a_larger_buffer_decodes_from_its_slice(PayloadKind kind)
    {
        var payload = Encode(kind);
        byte[] buffer = [0xEE, 0xEE, 0xEE, .. payload, 0xEE];

        var decoded = Decode(kind, buffer.AsMemory(3, payload.Length));

        Assert.Equal(payload, Reencode(decoded));
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)5)]
    [InlineData((byte)255)]
    public void An_unknown_target_kind_is_rejected(byte value)
    {
        var inbound = DataPlaneCodec.Encode(Inbound());
        var delivery = DataPlaneCodec.Encode(Delivery());

        // Header, then the fields before the target: each short ASCII string is one length byte plus its text.
        var inboundTarget = 2 + (1 + "m1".Length) + sizeof(long) + (1 + "gw1".Length) + (1 + "c1".Length) + (1 + "alice".Length);
        var deliveryTarget = 2 + (1 + "m1".Length) + sizeof(long) + (1 + "alice".Length) + (1 + "c1".Length);
        Assert.Equal((byte)TargetKind.User, inbound[inboundTarget]);
        Assert.Equal((byte)TargetKind.User, delivery[deliveryTarget]);
        inbound[inboundTarget] = value;
        delivery[deliveryTarget] = value;

        Assert.Contains("Unknown TargetKind", Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeInbound(inbound)).Message);
        Assert.Contains("Unknown TargetKind", Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeDelivery(delivery)).Message);
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)4)]
    [InlineData((byte)255)]
    public void An_unknown_send_status_is_rejected(byte value)
    {
        var payload = DataPlaneCodec.Encode(Outcome());
        var status = 2 + (1 + "m1".Length) + (1 + "c1".Length);
        Assert.Equal((byte)SendStatus.Routed, payload[status]);
        payload[status] = value;

        var exception = Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeOutcome(payload));
        Assert.Contains("Unknown SendStatus", exception.Message);
    }

    [Fact]
    public void A_length_of_more_than_five_varint_bytes_is_rejected()
    {
        byte[] payload = [(byte)PayloadKind.Outcome, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, (byte)'m'];

        var exception = Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeOutcome(payload));
        Assert.Contains("Malformed length", exception.Message);
    }

    [Fact]
    public void A_length_beyond_the_int_range_is_rejected()
    {
        // 2^32 - 1 as LEB128.
        byte[] payload = [(byte)PayloadKind.Outcome, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, (byte)'m'];

        var exception = Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeOutcome(payload));
        Assert.Contains("Malformed length", exception.Message);
    }

    private static InboundMessage Inbound() =>
        new("m1", 1_700_000_000_123, "gw1", "c1", "alice", MessageTarget.User("bob"), JsonBody, TraceParent);

    private static Delivery Delivery() =>
        new("m1", 1_700_000_000_123, "alice", "c1", MessageTarget.User("bob"), JsonBody, TraceParent);

    // Multi-byte lengths and counts, so truncations land inside varints too.
    private static SendOutcome Outcome() => new("m1", "c1", SendStatus.Routed, 300);

    private static PresenceQuery Query() => new("q1", "gw1", "c1", MessageTarget.Room("lobby"), TraceParent);

    private static PresenceAnswer Answer() => new("q1", "c1", 300, ["alice", "bob", "Zoë"]);

    private static MembershipEvent Membership() => new(MembershipEventKind.Joined, "lobby", "bob", "c9");

    private static ModerationCommand Moderation() => new("d1", "gw1", "api:billing", MessageTarget.User("bob"), ModerationAction.Disconnect, "", new string('r', 130), TraceParent);

    private static byte[] Encode(PayloadKind kind) => kind switch
    {
        PayloadKind.Inbound => DataPlaneCodec.Encode(Inbound() with { Body = new byte[200] }),
        PayloadKind.Delivery => DataPlaneCodec.Encode(Delivery() with { Body = new byte[200] }),
        PayloadKind.Outcome => DataPlaneCodec.Encode(Outcome()),
        PayloadKind.PresenceQuery => DataPlaneCodec.Encode(Query()),
        PayloadKind.PresenceAnswer => DataPlaneCodec.Encode(Answer()),
        PayloadKind.Membership => DataPlaneCodec.Encode(Membership() with { Room = new string('r', 130) }),
        PayloadKind.Moderation => DataPlaneCodec.Encode(Moderation()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static object Decode(PayloadKind kind, ReadOnlyMemory<byte> payload) => kind switch
    {
        PayloadKind.Inbound => DataPlaneCodec.DecodeInbound(payload),
        PayloadKind.Delivery => DataPlaneCodec.DecodeDelivery(payload),
        PayloadKind.Outcome => DataPlaneCodec.DecodeOutcome(payload),
        PayloadKind.PresenceQuery => DataPlaneCodec.DecodePresenceQuery(payload),
        PayloadKind.PresenceAnswer => DataPlaneCodec.DecodePresenceAnswer(payload),
        PayloadKind.Membership => DataPlaneCodec.DecodeMembership(payload),
        PayloadKind.Moderation => DataPlaneCodec.DecodeModeration(payload),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] Reencode(object decoded) => decoded switch
    {
        InboundMessage message => DataPlaneCodec.Encode(message),
        Delivery delivery => DataPlaneCodec.Encode(delivery),
        SendOutcome outcome => DataPlaneCodec.Encode(outcome),
        PresenceQuery query => DataPlaneCodec.Encode(query),
        PresenceAnswer answer => DataPlaneCodec.Encode(answer),
        MembershipEvent membership => DataPlaneCodec.Encode(membership),
        ModerationCommand moderation => DataPlaneCodec.Encode(moderation),
        _ => throw new ArgumentOutOfRangeException(nameof(decoded)),
    };

    [Theory]
    [InlineData(TargetKind.User, "bob")]
    [InlineData(TargetKind.Room, "lobby")]
    public void A_presence_query_survives_a_round_trip(TargetKind kind, string value)
    {
        var query = Query() with { Target = new MessageTarget(kind, value), TraceParent = null };

        Assert.Equal(query, DataPlaneCodec.DecodePresenceQuery(DataPlaneCodec.Encode(query)));
    }

    [Fact]
    public void A_presence_answer_survives_a_round_trip_with_its_users_in_order()
    {
        var decoded = DataPlaneCodec.DecodePresenceAnswer(DataPlaneCodec.Encode(Answer()));

        Assert.Equal(("q1", "c1", 300), (decoded.QueryId, decoded.ConnectionId, decoded.Connections));
        Assert.Equal(["alice", "bob", "Zoë"], decoded.Users);
    }

    [Fact]
    public void A_presence_answer_claiming_more_users_than_its_bytes_can_hold_is_rejected()
    {
        var payload = DataPlaneCodec.Encode(new PresenceAnswer("q", "c", 0, []));
        payload[^1] = 0x7F;

        Assert.Throws<FormatException>(() => DataPlaneCodec.DecodePresenceAnswer(payload));
    }

    [Theory]
    [InlineData(MembershipEventKind.Joined, "")]
    [InlineData(MembershipEventKind.Left, "c9")]
    public void A_membership_event_round_trips(MembershipEventKind kind, string exclude)
    {
        var membership = new MembershipEvent(kind, "room:with.dots", "bøb", exclude);

        Assert.Equal(membership, DataPlaneCodec.DecodeMembership(DataPlaneCodec.Encode(membership)));
    }

    [Fact]
    public void A_membership_event_of_an_unknown_kind_is_rejected()
    {
        var payload = DataPlaneCodec.Encode(Membership());
        payload[2] = 3;

        Assert.Contains("Unknown MembershipEventKind", Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeMembership(payload)).Message);
    }

    // Records compare a ReadOnlyMemory by reference, so bodies are compared by content.
    private static void AssertSame(InboundMessage expected, InboundMessage actual)
    {
        Assert.Equal(expected with { Body = default }, actual with { Body = default });
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
    }

    private static void AssertSame(Delivery expected, Delivery actual)
    {
        Assert.Equal(expected with { Body = default }, actual with { Body = default });
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
    }

    [Fact]
    public void A_recipient_count_beyond_the_int_range_is_rejected_as_a_format_error()
    {
        // 2^31 as LEB128.
        byte[] payload = [(byte)PayloadKind.Outcome, 1, 1, (byte)'m', 1, (byte)'c', (byte)SendStatus.Routed, 0x80, 0x80, 0x80, 0x80, 0x08];

        Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeOutcome(payload));
    }

    [Fact]
    public void A_varint_that_overflows_32_bits_in_its_fifth_byte_is_rejected()
    {
        // 2^32 as LEB128: read as a length it wraps around to 0.
        byte[] payload = [(byte)PayloadKind.Outcome, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 1, (byte)'c', (byte)SendStatus.Routed, 0];

        Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeOutcome(payload));
    }
}
