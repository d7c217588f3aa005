using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Api;

/// <summary>The server API (docs/api.md) on real HTTP, with its effects seen on real sockets.</summary>
[Collection(StackCollection.Name)]
public sealed class ServerApiTests(StackFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task A_publish_to_a_user_reaches_each_of_their_connections_on_every_gateway_from_a_system_sender()
    {
        var bobName = Names.Unique("bob");
        await using var bobHere = await Stack.ConnectAsync(0, bobName);
        await using var bobThere = await Stack.ConnectAsync(1, bobName);
        using var api = Stack.ApiClient(0);

        var (status, answer, _) = await ServerApi.PublishAsync(api, new { user = bobName }, new { text = "invoice ready" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, answer.GetProperty("recipients").GetInt32());
        Assert.True(answer.GetProperty("stored").GetBoolean());
        var messageId = answer.GetProperty("message").GetString();
        foreach (var bob in new[] { bobHere, bobThere })
        {
            var message = await bob.ExpectAsync(frame => ServerApi.IsSystemMessage(frame, "invoice ready"), "the backend's message");
            Assert.Equal(messageId, message.GetProperty("message").GetString());
            var from = message.GetProperty("from");
            Assert.Equal("billing", from.GetProperty("system").GetString());
            Assert.False(from.TryGetProperty("user", out _));
            Assert.Equal(bobName, message.GetProperty("to").GetProperty("user").GetString());
            Assert.Equal($"user:{bobName}", message.GetProperty("stream").GetString());
        }
    }

    [Fact]
    public async Task A_publish_to_a_room_reaches_every_member_on_both_gateways_and_is_in_its_history()
    {
        var room = Names.Unique("room");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bob, room);
        using var api = Stack.ApiClient(1);

        var (status, answer, _) = await ServerApi.PublishAsync(api, new { room }, new { text = "maintenance at noon" }, from: "ops");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, answer.GetProperty("recipients").GetInt32());
        foreach (var member in new[] { alice, bob })
        {
            var message = await member.ExpectAsync(frame => ServerApi.IsSystemMessage(frame, "maintenance at noon"), "the backend's room message");
            Assert.Equal("ops", message.GetProperty("from").GetProperty("system").GetString());
        }

        await alice.SendAsync(new { type = "history", id = "h", room, limit = 10 });
        var history = await alice.ExpectAsync(frame => frame.GetProperty("type").GetString() == "history", "the room's history");
        var stored = Assert.Single(history.GetProperty("messages").EnumerateArray());
        Assert.Equal("ops", stored.GetProperty("from").GetProperty("system").GetString());
    }

    [Fact]
    public async Task A_publish_to_one_connection_or_everyone_is_counted_and_one_to_nobody_is_offline()
    {
        var bobName = Names.Unique("bob");
        await using var bob = await Stack.ConnectAsync(1, bobName);
        await using var bobOther = await Stack.ConnectAsync(0, bobName);
        using var api = Stack.ApiClient(0);

        var (toConnection, single, _) = await ServerApi.PublishAsync(api, new { connection = bob.ConnectionId }, new { text = "just you" });
        var (toEveryone, all, _) = await ServerApi.PublishAsync(api, new { everyone = true }, new { text = "to all" });
        var (toNobody, offline, _) = await ServerApi.PublishAsync(api, new { user = Names.Unique("nobody") }, new { text = "lost" });

        Assert.Equal((HttpStatusCode.OK, 1, false), (toConnection, single.GetProperty("recipients").GetInt32(), single.GetProperty("stored").GetBoolean()));
        await bob.ExpectAsync(frame => ServerApi.IsSystemMessage(frame, "just you"), "the message to its connection");
        await bobOther.ExpectNothingAsync(frame => ServerApi.IsSystemMessage(frame, "just you"), Quiet);
        Assert.Equal(HttpStatusCode.OK, toEveryone);
        Assert.True(all.GetProperty("recipients").GetInt32() >= 2);
        await bob.ExpectAsync(frame => ServerApi.IsSystemMessage(frame, "to all"), "the message to everyone");
        Assert.Equal(HttpStatusCode.NotFound, toNobody);
        Assert.Equal("offline", offline.GetProperty("code").GetString());
        Assert.Contains("not connected", offline.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_publish_retried_with_the_same_idempotency_key_is_delivered_once_whichever_gateway_it_reaches()
    {
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        using var first = Stack.ApiClient(0);
        using var second = Stack.ApiClient(1);
        var key = Names.Unique("invoice");

        var (status, answer, response) = await ServerApi.PublishAsync(first, new { user = bob.User }, new { text = "once" }, idempotencyKey: key);
        var (againStatus, again, replayed) = await ServerApi.PublishAsync(first, new { user = bob.User }, new { text = "once" }, idempotencyKey: key);
        var (elsewhereStatus, elsewhere, _) = await ServerApi.PublishAsync(second, new { user = bob.User }, new { text = "once" }, idempotencyKey: key);
        var (otherStatus, other, _) = await ServerApi.PublishAsync(first, new { user = bob.User }, new { text = "once" }, idempotencyKey: key + "-2");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (status, againStatus, elsewhereStatus, otherStatus));
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(replayed.Headers.GetValues("Idempotent-Replayed")));
        var messageId = answer.GetProperty("message").GetString();
        Assert.Equal(messageId, again.GetProperty("message").GetString());
        Assert.Equal(messageId, elsewhere.GetProperty("message").GetString());
        Assert.NotEqual(messageId, other.GetProperty("message").GetString());
        await Task.Delay(Quiet);
        Assert.Equal(2, bob.TakeAll(frame => ServerApi.IsSystemMessage(frame, "once")).Count);
    }

    [Fact]
    public async Task An_offline_answer_frees_the_idempotency_key_so_a_retry_is_delivered()
    {
        var bobName = Names.Unique("bob");
        using var api = Stack.ApiClient(0);
        var key = Names.Unique("welcome");

        var (before, _, _) = await ServerApi.PublishAsync(api, new { user = bobName }, new { text = "welcome" }, idempotencyKey: key);
        await using var bob = await Stack.ConnectAsync(1, bobName);
        var (after, answer, _) = await ServerApi.PublishAsync(api, new { user = bobName }, new { text = "welcome" }, idempotencyKey: key);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (before, after));
        Assert.Equal(1, answer.GetProperty("recipients").GetInt32());
        await bob.ExpectAsync(frame => ServerApi.IsSystemMessage(frame, "welcome"), "the retried message");
    }

    [Fact]
    public async Task Presence_answers_match_what_a_websocket_presence_request_gets()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bobHere = await Stack.ConnectAsync(0, bobName);
        await using var bobThere = await Stack.ConnectAsync(1, bobName);
        await RoomTests.JoinAsync(alice, room);
        await RoomTests.JoinAsync(bobThere, room);
        using var api = Stack.ApiClient(1);

        var (userStatus, user, _) = await ServerApi.GetAsync(api, $"api/v1/users/{bobName}/presence");
        var (roomStatus, members, _) = await ServerApi.GetAsync(api, $"api/v1/rooms/{room}/presence");
        var (nobodyStatus, nobody, _) = await ServerApi.GetAsync(api, $"api/v1/users/{Names.Unique("nobody")}/presence");
        await alice.SendAsync(new { type = "presence", id = "u", user = bobName });
        var socketUser = await alice.ExpectAsync(frame => frame.GetProperty("type").GetString() == "presence" && frame.GetProperty("id").GetString() == "u", "the user presence answer");
        await alice.SendAsync(new { type = "presence", id = "r", room });
        var socketRoom = await alice.ExpectAsync(frame => frame.GetProperty("type").GetString() == "presence" && frame.GetProperty("id").GetString() == "r", "the room presence answer");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (userStatus, roomStatus, nobodyStatus));
        Assert.Equal((bobName, true, 2), (user.GetProperty("user").GetString(), user.GetProperty("online").GetBoolean(), user.GetProperty("connections").GetInt32()));
        Assert.Equal(
            (socketUser.GetProperty("online").GetBoolean(), socketUser.GetProperty("connections").GetInt32()),
            (user.GetProperty("online").GetBoolean(), user.GetProperty("connections").GetInt32()));
        Assert.Equal(room, members.GetProperty("room").GetString());
        Assert.Equal(
            socketRoom.GetProperty("users").EnumerateArray().Select(u => u.GetString()).Order(),
            members.GetProperty("users").EnumerateArray().Select(u => u.GetString()).Order());
        Assert.Equal(2, members.GetProperty("users").GetArrayLength());
        Assert.Equal((false, 0), (nobody.GetProperty("online").GetBoolean(), nobody.GetProperty("connections").GetInt32()));
    }

    [Fact]
    public async Task A_user_id_holding_a_slash_or_escapes_is_taken_as_the_caller_escaped_it()
    {
        using var api = Stack.ApiClient(0);

        var (slash, withSlash, _) = await ServerApi.GetAsync(api, "api/v1/users/team%2Falice/presence");
        var (percent, withPercent, _) = await ServerApi.GetAsync(api, "api/v1/users/auth0%7Cx%252F/presence");

        Assert.Equal((HttpStatusCode.OK, "team/alice"), (slash, withSlash.GetProperty("user").GetString()));
        Assert.Equal((HttpStatusCode.OK, "auth0|x%2F"), (percent, withPercent.GetProperty("user").GetString()));
    }

    [Fact]
    public async Task Disconnecting_a_user_closes_every_connection_on_every_gateway_with_4000_and_the_reason()
    {
        var bobName = Names.Unique("bob");
        await using var bob1 = await Stack.ConnectAsync(0, bobName);
        await using var bob2 = await Stack.ConnectAsync(0, bobName);
        await using var bob3 = await Stack.ConnectAsync(1, bobName);
        await using var carol = await Stack.ConnectAsync(1, Names.Unique("carol"));
        using var api = Stack.ApiClient(1);

        var (status, answer, _) = await ServerApi.SendAsync(api, new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{bobName}/disconnect")
        {
            Content = JsonContent.Create(new { reason = "account suspended" }),
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, answer.GetProperty("connections").GetInt32());
        foreach (var bob in new[] { bob1, bob2, bob3 })
        {
            await bob.Closed.WaitAsync(TestClient.DefaultTimeout);
            Assert.Equal((WebSocketCloseStatus)4000, bob.CloseStatus);
            Assert.Equal("account suspended", bob.CloseStatusDescription);
        }

        Assert.Equal(WebSocketState.Open, carol.State);

        // Once presence has the closes, there is nobody left to disconnect.
        await Eventually.HoldsAsync(
            async () => (await ServerApi.SendAsync(api, new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{bobName}/disconnect"))).Status == HttpStatusCode.NotFound,
            TestClient.DefaultTimeout,
            "a second disconnect finds bob offline");
    }

    [Fact]
    public async Task Removing_a_user_from_a_room_tells_them_and_the_others_left_and_stops_its_messages()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var carol = await Stack.ConnectAsync(1, Names.Unique("carol"));
        await using var bobHere = await Stack.ConnectAsync(0, bobName);
        await using var bobThere = await Stack.ConnectAsync(1, bobName);
        foreach (var member in new[] { alice, carol, bobHere, bobThere })
        {
            await RoomTests.JoinAsync(member, room);
        }

        using var api = Stack.ApiClient(0);
        var (status, answer, _) = await ServerApi.SendAsync(api, new HttpRequestMessage(HttpMethod.Delete, $"api/v1/rooms/{room}/users/{bobName}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, answer.GetProperty("connections").GetInt32());
        bool LeftByBob(JsonElement frame) =>
            frame.GetProperty("type").GetString() == "left" && frame.GetProperty("room").GetString() == room && frame.GetProperty("user").GetString() == bobName;
        foreach (var client in new[] { alice, carol, bobHere, bobThere })
        {
            await client.ExpectAsync(LeftByBob, $"left for {bobName}");
        }

        await Eventually.HoldsAsync(
            async () => (await ServerApi.GetAsync(api, $"api/v1/rooms/{room}/presence")).Body.GetProperty("users").GetArrayLength() == 2,
            TestClient.DefaultTimeout,
            "presence no longer has bob in the room");
        var ack = await alice.SendAndWaitAsync(new { room }, "after the removal");
        Assert.Equal(1, ack.GetProperty("recipients").GetInt32());
        await bobHere.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "message", Quiet);
        await bobThere.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "message", Quiet);
        var refused = await bobHere.SendAndWaitAsync(new { room }, "still here?");
        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Removing_one_connection_from_a_room_leaves_the_users_other_connections_in_it()
    {
        var room = Names.Unique("room");
        var bobName = Names.Unique("bob");
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bobHere = await Stack.ConnectAsync(0, bobName);
        await using var bobThere = await Stack.ConnectAsync(1, bobName);
        foreach (var member in new[] { alice, bobHere, bobThere })
        {
            await RoomTests.JoinAsync(member, room);
        }

        using var api = Stack.ApiClient(1);
        var (status, answer, _) = await ServerApi.SendAsync(api, new HttpRequestMessage(HttpMethod.Delete, $"api/v1/rooms/{room}/connections/{bobThere.ConnectionId}"));

        Assert.Equal((HttpStatusCode.OK, 1), (status, answer.GetProperty("connections").GetInt32()));
        await bobThere.ExpectAsync(frame => frame.GetProperty("type").GetString() == "left" && frame.GetProperty("room").GetString() == room, "left for its own connection");

        // Presence takes the removal a moment after the gateway: until then the count may include it.
        await Eventually.HoldsAsync(
            async () => (await alice.SendAndWaitAsync(new { room }, "still one of you")).GetProperty("recipients").GetInt32() == 1,
            TestClient.DefaultTimeout,
            "a room message counts only the connection still in the room");
        await bobHere.ExpectAsync(frame => frame.GetProperty("type").GetString() == "message", "the room message on the connection still in it");
        await alice.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "left", Quiet);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-key-of-this-deployment-0123456789")]
    [InlineData("Basic dGVzdHM6a2V5")]
    [InlineData("Bearer")]
    [InlineData("tests-api-key-0123456789abcdefghijklmnop")]
    public async Task A_request_without_a_configured_key_gets_401_and_nothing_more(string? authorization)
    {
        using var api = Stack.ApiClient(0, apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/publish")
        {
            Content = JsonContent.Create(new { to = new { everyone = true }, from = "billing", body = "x" }),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_flood_from_one_key_gets_429_rate_limited_with_retry_after_and_other_keys_go_on()
    {
        using var flood = Stack.ApiClient(0, StackFixture.FloodKey);
        using var api = Stack.ApiClient(0);

        // Bounded: 400 requests at once against a burst of 100 and 50 a second.
        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => ServerApi.GetAsync(flood, "api/v1/users/nobody/presence")));

        var accepted = answers.Count(answer => answer.Status == HttpStatusCode.OK);
        var refused = answers.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(answers.Length, accepted + refused.Count);
        Assert.True(accepted >= 100, $"only {accepted} accepted: the burst is 100");
        Assert.NotEmpty(refused);
        Assert.All(refused, answer =>
        {
            Assert.Equal("rate_limited", answer.Body.GetProperty("code").GetString());
            Assert.True(int.Parse(Assert.Single(answer.Response.Headers.GetValues("Retry-After"))) >= 1);
        });
        var (other, _, _) = await ServerApi.GetAsync(api, "api/v1/users/nobody/presence");
        Assert.Equal(HttpStatusCode.OK, other);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("""{"from":"billing","body":1}""", "\"to\" is missing")]
    [InlineData("""{"to":{"room":"lobby"},"body":1}""", "\"from\" is missing")]
    [InlineData("""{"to":{"room":"lobby"},"from":"bad name!","body":1}""", "\"from\" must be")]
    [InlineData("""{"to":{"room":"lobby"},"from":"billing"}""", "\"body\" is missing")]
    [InlineData("""{"to":{"room":"a","user":"b"},"from":"billing","body":1}""", "exactly one target")]
    [InlineData("""{"to":{"planet":"mars"},"from":"billing","body":1}""", "unknown target")]
    public async Task A_bad_publish_gets_400_bad_request_saying_what_is_wrong(string json, string problem)
    {
        using var api = Stack.ApiClient(0);

        var (status, body, response) = await ServerApi.SendAsync(api, new HttpRequestMessage(HttpMethod.Post, "api/v1/publish")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("code").GetString());
        Assert.Contains(problem, body.GetProperty("message").GetString());
        Assert.DoesNotContain("\\u0022", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_publish_is_read_as_json_whatever_content_type_it_declares()
    {
        await using var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        using var api = Stack.ApiClient(0);

        // What curl -d sends.
        var (status, answer, _) = await ServerApi.SendAsync(api, new HttpRequestMessage(HttpMethod.Post, "api/v1/publish")
        {
            Content = new StringContent($$$"""{"to":{"user":"{{{bob.User}}}"},"from":"billing","body":{"text":"form"}}""", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        });

        Assert.Equal((HttpStatusCode.OK, 1), (status, answer.GetProperty("recipients").GetInt32()));
        await bob.ExpectAsync(frame => ServerApi.IsSystemMessage(frame, "form"), "the message");
    }

    [Fact]
    public async Task A_publish_over_the_size_limit_gets_413_too_large_and_is_not_delivered()
    {
        await using var bob = await Stack.ConnectAsync(0, Names.Unique("bob"));
        using var api = Stack.ApiClient(0);

        var (status, body, _) = await ServerApi.PublishAsync(api, new { user = bob.User }, new { text = new string('x', 70 * 1024) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", body.GetProperty("code").GetString());
        await bob.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "message", Quiet);
    }

    [Fact]
    public async Task The_api_answers_only_on_its_port_and_the_public_port_serves_none_of_it()
    {
        using var plain = new HttpClient();
        var gateway = Stack.Gateways[0];

        var apiOnPublic = await plain.GetAsync(new Uri(gateway.BaseAddress, "api/v1/openapi.json"));
        var pageOnApi = await plain.GetAsync(gateway.ApiAddress);
        var socketOnApi = await plain.GetAsync(new Uri(gateway.ApiAddress, "ws?user=alice"));
        var healthOnApi = await plain.GetAsync(new Uri(gateway.ApiAddress, "healthz"));

        Assert.Equal(
            (HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK),
            (apiOnPublic.StatusCode, pageOnApi.StatusCode, socketOnApi.StatusCode, healthOnApi.StatusCode));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_the_api_serves()
    {
        using var plain = new HttpClient { BaseAddress = Stack.Gateways[0].ApiAddress };

        using var document = JsonDocument.Parse(await plain.GetStringAsync("api/v1/openapi.json"));

        var paths = document.RootElement.GetProperty("paths");
        Assert.Equal(
            ["/api/v1/publish", "/api/v1/rooms/{room}/connections/{connection}", "/api/v1/rooms/{room}/presence", "/api/v1/rooms/{room}/users/{user}", "/api/v1/users/{user}/disconnect", "/api/v1/users/{user}/presence"],
            paths.EnumerateObject().Select(path => path.Name).Order(StringComparer.Ordinal));
        Assert.True(paths.GetProperty("/api/v1/publish").TryGetProperty("post", out var publish));
        Assert.True(publish.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(publish.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task The_api_request_is_the_root_of_its_messages_trace()
    {
        await using var bob = await Stack.ConnectAsync(1, Names.Unique("bob"));
        using var api = Stack.ApiClient(0);

        var (_, answer, _) = await ServerApi.PublishAsync(api, new { user = bob.User }, new { text = "traced" });
        var messageId = answer.GetProperty("message").GetString();

        ExportedSpan[] spans = [];
        await Eventually.HoldsAsync(
            () =>
            {
                var send = fixture.Telemetry.Spans.FirstOrDefault(span => span.Name == "chat.send" && span.Attributes.GetValueOrDefault("chat.message.id") == messageId);
                spans = send is null ? [] : [.. fixture.Telemetry.Spans.Where(span => span.TraceId == send.TraceId)];
                return Task.FromResult(spans.Any(span => span.Name == "chat.deliver") && spans.Any(span => span.ParentSpanId == ""));
            },
            TimeSpan.FromSeconds(15),
            "the publish's spans were exported");

        var root = Assert.Single(spans, span => span.ParentSpanId == "");
        var sendSpan = Assert.Single(spans, span => span.Name == "chat.send");
        var routeSpan = Assert.Single(spans, span => span.Name == "chat.route");
        Assert.Equal("gateway", root.Service);
        Assert.Contains("/api/v1/publish", root.Name);
        Assert.Equal(root.SpanId, sendSpan.ParentSpanId);
        Assert.Equal(sendSpan.SpanId, routeSpan.ParentSpanId);
        Assert.Equal(routeSpan.SpanId, Assert.Single(spans, span => span.Name == "chat.deliver").ParentSpanId);
    }
}
