using System.Text;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Contracts.Tests.Golden;

/// <summary>
/// Each data-plane payload as fixed bytes (hex, spaced by field): the encoder must write exactly
/// these, and the decoder read them back. A layout change shows up here as a changed test, not
/// only as a round trip that still agrees with itself. (The membership event, written in Lua
/// too, is in <see cref="ScriptFormatGolden"/>.)
/// </summary>
public sealed class DataPlaneGoldenTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static readonly byte[] Body = """{"text":"hi"}"""u8.ToArray();

    private static readonly string BodyHex = "0d " + Convert.ToHexStringLower(Body);

    private static readonly string TraceParentHex = "38 " + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(TraceParent));

    [Fact]
    public void An_inbound_message()
    {
        // kind, version; id "m1"; timestamp (int64, little-endian); gateway, connection, user;
        // target (kind 1 = user, "bob"); trace parent (length + 1); body.
        var golden = Golden($"01 01  02 6d31  7b68e5cf8b010000  04 67772d31  02 6331  05 616c696365  01 03 626f62  {TraceParentHex}  {BodyHex}");
        var message = new InboundMessage("m1", 1_700_000_000_123, "gw-1", "c1", "alice", MessageTarget.User("bob"), Body, TraceParent);

        Assert.Equal(golden, DataPlaneCodec.Encode(message));
        var decoded = DataPlaneCodec.DecodeInbound(golden);
        Assert.Equal(message with { Body = default }, decoded with { Body = default });
        Assert.Equal(Body, decoded.Body.ToArray());
    }

    [Fact]
    public void An_inbound_message_from_a_system_sender()
    {
        // Version 2: as version 1 (user empty, the API key's connection), then the system sender.
        var golden = Golden($"01 02  02 6d31  7b68e5cf8b010000  04 67772d31  0b 6170693a62696c6c696e67  00  03 05 6c6f626279  00  {BodyHex}  07 62696c6c696e67");
        var message = new InboundMessage("m1", 1_700_000_000_123, "gw-1", "api:billing", "", MessageTarget.Room("lobby"), Body, null, FromSystem: "billing");

        Assert.Equal(golden, DataPlaneCodec.Encode(message));
        var decoded = DataPlaneCodec.DecodeInbound(golden);
        Assert.Equal(message with { Body = default }, decoded with { Body = default });
        Assert.Equal(Body, decoded.Body.ToArray());
    }

    [Fact]
    public void A_stored_delivery_from_a_system_sender()
    {
        // Version 3: the system sender right after the (empty) user and the connection, so that
        // the stored prefix still ends at the stream and the append script's Lua ends it alike.
        var golden = Golden($"02 03  02 6d31  7b68e5cf8b010000  00  0b 6170693a62696c6c696e67  07 62696c6c696e67  03 05 6c6f626279  00  {BodyHex}  0a 726f6f6d3a6c6f626279  02 6537  ac02");
        var delivery = new Delivery("m1", 1_700_000_000_123, "", "api:billing", MessageTarget.Room("lobby"), Body, null, new HistoryPosition("room:lobby", "e7", 300), FromSystem: "billing");

        Assert.Equal(golden, DataPlaneCodec.Encode(delivery));
        var decoded = DataPlaneCodec.DecodeDelivery(golden);
        Assert.Equal(delivery with { Body = default }, decoded with { Body = default });
        var prefix = DataPlaneCodec.EncodeStoredPrefix(delivery with { Position = null }, "room:lobby");
        Assert.Equal(golden.AsSpan(0, prefix.Length).ToArray(), prefix);
    }

    [Fact]
    public void A_moderation_command()
    {
        // kind 7, version 1; id; asking gateway and connection; target (1 = user, "bob");
        // action (2 = remove from room); room; reason (empty); no trace parent.
        var golden = Golden("07 01  02 6431  04 67772d31  0b 6170693a62696c6c696e67  01 03 626f62  02  05 6c6f626279  00  00");
        var command = new ModerationCommand("d1", "gw-1", "api:billing", MessageTarget.User("bob"), ModerationAction.RemoveFromRoom, "lobby", "", null);

        Assert.Equal(golden, DataPlaneCodec.Encode(command));
        Assert.Equal(command, DataPlaneCodec.DecodeModeration(golden));
    }

    [Fact]
    public void An_empty_system_sender_is_rejected()
    {
        var golden = Golden($"02 03  02 6d31  7b68e5cf8b010000  00  02 6331  00  03 05 6c6f626279  00  {BodyHex}  00  00  00");

        Assert.Contains("system sender", Assert.Throws<FormatException>(() => DataPlaneCodec.DecodeDelivery(golden)).Message);
    }

    [Fact]
    public void A_stored_delivery()
    {
        // kind, version 2; id; timestamp; from user, from connection; target (3 = room); no trace
        // parent (0); body; stream "room:lobby", epoch "e7", offset 300 as a varint.
        var golden = Golden($"02 02  02 6d31  7b68e5cf8b010000  05 616c696365  02 6331  03 05 6c6f626279  00  {BodyHex}  0a 726f6f6d3a6c6f626279  02 6537  ac02");
        var delivery = new Delivery("m1", 1_700_000_000_123, "alice", "c1", MessageTarget.Room("lobby"), Body, null, new HistoryPosition("room:lobby", "e7", 300));

        Assert.Equal(golden, DataPlaneCodec.Encode(delivery));
        var decoded = DataPlaneCodec.DecodeDelivery(golden);
        Assert.Equal(delivery with { Body = default }, decoded with { Body = default });
        Assert.Equal(Body, decoded.Body.ToArray());
    }

    [Fact]
    public void A_delivery_not_stored()
    {
        // As stored, with an empty stream and epoch and offset 0.
        var golden = Golden($"02 02  02 6d31  7b68e5cf8b010000  05 616c696365  02 6331  04 00  00  {BodyHex}  00  00  00");
        var delivery = new Delivery("m1", 1_700_000_000_123, "alice", "c1", MessageTarget.Everyone, Body, null);

        Assert.Equal(golden, DataPlaneCodec.Encode(delivery));
        Assert.Null(DataPlaneCodec.DecodeDelivery(golden).Position);
    }

    [Fact]
    public void A_version_1_delivery_is_still_read()
    {
        // What routers before history wrote: no position at all.
        var golden = Golden($"02 01  02 6d31  7b68e5cf8b010000  05 616c696365  02 6331  03 05 6c6f626279  00  {BodyHex}");

        var decoded = DataPlaneCodec.DecodeDelivery(golden);

        Assert.Equal(("m1", MessageTarget.Room("lobby"), (HistoryPosition?)null), (decoded.MessageId, decoded.Target, decoded.Position));
        Assert.Equal(Body, decoded.Body.ToArray());
    }

    [Fact]
    public void A_stored_prefix_is_the_stored_delivery_up_to_its_stream()
    {
        var delivery = new Delivery("m1", 1_700_000_000_123, "alice", "c1", MessageTarget.Room("lobby"), Body, null);

        var prefix = DataPlaneCodec.EncodeStoredPrefix(delivery, "room:lobby");

        var whole = DataPlaneCodec.Encode(delivery with { Position = new HistoryPosition("room:lobby", "e7", 300) });
        Assert.Equal(whole[..^5], prefix);
    }

    [Fact]
    public void A_send_outcome()
    {
        // kind, version 2; message id; sender's connection; status (1 = routed); recipients 300 as a varint; stored (1).
        var golden = Golden("03 02  02 6d31  02 6331  01  ac02  01");
        var outcome = new SendOutcome("m1", "c1", SendStatus.Routed, 300, Stored: true);

        Assert.Equal(golden, DataPlaneCodec.Encode(outcome));
        Assert.Equal(outcome, DataPlaneCodec.DecodeOutcome(golden));
    }

    [Fact]
    public void A_version_1_send_outcome_is_still_read_as_not_stored()
    {
        var golden = Golden("03 01  02 6d31  02 6331  01  ac02");

        Assert.Equal(new SendOutcome("m1", "c1", SendStatus.Routed, 300, Stored: false), DataPlaneCodec.DecodeOutcome(golden));
    }

    [Fact]
    public void A_presence_query()
    {
        // kind, version; query id; gateway, connection; target (3 = room); an empty trace parent (1: length 0 + 1).
        var golden = Golden("04 01  02 7131  04 67772d31  02 6331  03 05 6c6f626279  01");
        var query = new PresenceQuery("q1", "gw-1", "c1", MessageTarget.Room("lobby"), "");

        Assert.Equal(golden, DataPlaneCodec.Encode(query));
        Assert.Equal(query, DataPlaneCodec.DecodePresenceQuery(golden));
    }

    [Fact]
    public void A_presence_answer()
    {
        // kind, version; query id; asker's connection; connections 3; user count 2; users in order.
        var golden = Golden("05 01  02 7131  02 6331  03  02  05 616c696365  04 5a6fc3ab");
        var answer = new PresenceAnswer("q1", "c1", 3, ["alice", "Zoë"]);

        Assert.Equal(golden, DataPlaneCodec.Encode(answer));
        var decoded = DataPlaneCodec.DecodePresenceAnswer(golden);
        Assert.Equal((answer.QueryId, answer.ConnectionId, answer.Connections), (decoded.QueryId, decoded.ConnectionId, decoded.Connections));
        Assert.Equal(answer.Users, decoded.Users);
    }

    private static byte[] Golden(string spacedHex) => ScriptFormatGolden.Bytes(spacedHex);
}
