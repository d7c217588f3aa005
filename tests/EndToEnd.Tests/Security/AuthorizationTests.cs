using System.Text.Json;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>What a connection may do with the rights its token carries: private rooms, sending to everyone, and who it says it is.</summary>
[Collection(AuthStackCollection.Name)]
public sealed class AuthorizationTests(AuthStackFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_token_that_lists_a_private_room_joins_it_and_chats_there_across_gateways()
    {
        var room = PrivateRoom();
        await using var alice = await fixture.ConnectAsUserAsync(0, Names.Unique("alice"), rooms: [room]);
        await using var bob = await fixture.ConnectAsUserAsync(1, Names.Unique("bob"), rooms: [room, PrivateRoom()]);

        Assert.Equal("ack", (await RequestAsync(alice, new { type = "join", room })).GetProperty("type").GetString());
        Assert.Equal("ack", (await RequestAsync(bob, new { type = "join", room })).GetProperty("type").GetString());
        await alice.ExpectAsync(frame => IsEvent(frame, "joined", room, bob.User), "bob joined");
        var ack = await alice.SendAndWaitAsync(new { room }, "staff only");

        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
        Assert.Equal("staff only", (await bob.ExpectAsync("message")).GetProperty("body").GetString());
        var who = await RequestAsync(bob, new { type = "presence", room });
        Assert.Equal(new[] { alice.User, bob.User }.Order(StringComparer.Ordinal), who.GetProperty("users").EnumerateArray().Select(user => user.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_token_that_does_not_list_a_private_room_may_not_join_it_see_into_it_or_send_to_it()
    {
        var room = PrivateRoom();
        await using var member = await fixture.ConnectAsUserAsync(0, Names.Unique("member"), rooms: [room]);
        await using var outsider = await fixture.ConnectAsUserAsync(1, Names.Unique("outsider"), roles: ["admin"], rooms: [PrivateRoom(), "lobby"]);
        await RequestAsync(member, new { type = "join", room });

        var join = await RequestAsync(outsider, new { type = "join", room });
        var who = await RequestAsync(outsider, new { type = "presence", room });
        var send = await outsider.SendAndWaitAsync(new { room }, "let me in");

        AssertError(join, "forbidden", $"room {room} is private; it needs a token that lists it");
        AssertError(who, "forbidden", $"room {room} is private; it needs a token that lists it");
        AssertError(send, "forbidden", $"join room {room} before sending to it");
        await member.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() is "joined" or "message", Quiet);
    }

    [Fact]
    public async Task An_admin_sends_to_everyone_on_every_gateway()
    {
        await using var admin = await fixture.ConnectAsUserAsync(0, Names.Unique("admin"), roles: ["admin"]);
        await using var onOtherGateway = await fixture.ConnectAsUserAsync(1, Names.Unique("listener"));
        await using var onRs256Gateway = await AuthStackFixture.ConnectAsync(fixture.Rs256GatewayUri(), TestTokens.SignRs256(fixture.SigningKey, fixture.Tokens.Claims(Names.Unique("rsa"))));
        var body = $"announcement {Guid.NewGuid():N}";

        var ack = await admin.SendAndWaitAsync(new { everyone = true }, body);

        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.True(ack.GetProperty("recipients").GetInt32() >= 2, ack.GetRawText());
        await onOtherGateway.ExpectAsync(frame => IsMessage(frame, body), "the announcement");
        await onRs256Gateway.ExpectAsync(frame => IsMessage(frame, body), "the announcement");
    }

    [Fact]
    public async Task Without_the_admin_role_sending_to_everyone_is_forbidden_and_reaches_nobody()
    {
        await using var user = await fixture.ConnectAsUserAsync(0, Names.Unique("user"), roles: ["member", "moderator"]);
        await using var listener = await fixture.ConnectAsUserAsync(1, Names.Unique("listener"));
        var body = $"not an announcement {Guid.NewGuid():N}";

        var reply = await user.SendAndWaitAsync(new { everyone = true }, body);

        AssertError(reply, "forbidden", "sending to everyone needs the 'admin' role");
        await listener.ExpectNothingAsync(frame => IsMessage(frame, body), Quiet);
    }

    [Theory]
    [InlineData("""{"type":"send","id":"f1","to":{"user":"RECIPIENT"},"from":{"user":"ceo","connection":"0000000000000000"},"body":"pay this invoice"}""")]
    [InlineData("""{"type":"send","id":"f1","to":{"user":"RECIPIENT"},"from":"ceo","user":"ceo","sender":"ceo","connection":"0000000000000000","body":"pay this invoice"}""")]
    public async Task Sender_fields_in_a_frame_are_ignored_and_the_recipient_sees_who_really_sent_it(string frame)
    {
        var recipient = Names.Unique("clerk");
        await using var clerk = await fixture.ConnectAsUserAsync(1, recipient);
        await using var mallory = await fixture.ConnectAsUserAsync(0, Names.Unique("mallory"));

        await mallory.SendAsync(frame.Replace("RECIPIENT", recipient));

        Assert.Equal("ack", (await mallory.ReplyToAsync("f1")).GetProperty("type").GetString());
        var from = (await clerk.ExpectAsync("message")).GetProperty("from");
        Assert.Equal(mallory.User, from.GetProperty("user").GetString());
        Assert.Equal(mallory.ConnectionId, from.GetProperty("connection").GetString());
    }

    private static string PrivateRoom() => $"private:{Guid.NewGuid():N}";

    private static async Task<JsonElement> RequestAsync(TestClient client, object frame)
    {
        var id = Guid.NewGuid().ToString("N");
        var fields = JsonSerializer.SerializeToNode(frame)!.AsObject();
        fields["id"] = id;
        await client.SendAsync(fields.ToJsonString());
        return await client.ExpectAsync(
            reply => reply.TryGetProperty("id", out var echoed) && echoed.GetString() == id,
            $"the reply to {id}");
    }

    private static void AssertError(JsonElement reply, string code, string message)
    {
        Assert.Equal("error", reply.GetProperty("type").GetString());
        Assert.Equal(code, reply.GetProperty("code").GetString());
        Assert.Equal(message, reply.GetProperty("message").GetString());
    }

    private static bool IsEvent(JsonElement frame, string type, string room, string user) =>
        frame.GetProperty("type").GetString() == type
        && frame.GetProperty("room").GetString() == room
        && frame.GetProperty("user").GetString() == user;

    private static bool IsMessage(JsonElement frame, string body) =>
        frame.GetProperty("type").GetString() == "message" && frame.GetProperty("body").GetString() == body;
}
