using System.Text.Json;
using ChatPlatform.Client.Api;
using ChatPlatform.Client.Tests.Support;

namespace ChatPlatform.Client.Tests.Api;

/// <summary><see cref="ChatApiClient"/> against a stand-in API: the requests it makes, and how it reads each answer (docs/api.md).</summary>
public sealed class ChatApiClientTests
{
    private const string Published = """{"message":"0193f6c2a8a77c4b9b1f3c2d4e5f6a7b","recipients":2,"stored":true}""";

    [Fact]
    public async Task A_publish_posts_the_target_sender_and_body_with_the_key_and_reads_the_answer()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok(Published));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        var result = await client.PublishAsync(ChatTarget.Room("lobby"), "billing", new { Text = "Your invoice is ready", Amount = 12.5 });

        Assert.Equal(new PublishResult("0193f6c2a8a77c4b9b1f3c2d4e5f6a7b", 2, Stored: true, Replayed: false), result);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/api/v1/publish", $"Bearer {FakeApi.Key}"), (request.Method, request.RawTarget, request.Authorization));
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Null(request.IdempotencyKey);
        Assert.Equal("""{"to":{"room":"lobby"},"from":"billing","body":{"text":"Your invoice is ready","amount":12.5}}""", request.Body);
    }

    [Theory]
    [InlineData("user", """{"user":"bob"}""")]
    [InlineData("connection", """{"connection":"9f2c4e1a7b3d5f60"}""")]
    [InlineData("room", """{"room":"private:staff"}""")]
    [InlineData("everyone", """{"everyone":true}""")]
    public async Task Each_kind_of_target_is_written_as_the_api_names_it(string kind, string to)
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"message":"m","recipients":0}"""));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);
        var target = kind switch
        {
            "user" => ChatTarget.User("bob"),
            "connection" => ChatTarget.Connection("9f2c4e1a7b3d5f60"),
            "room" => ChatTarget.Room("private:staff"),
            _ => ChatTarget.Everyone,
        };

        var result = await client.PublishAsync(target, "bot.1", "hi");

        Assert.Equal(new PublishResult("m", 0, Stored: false, Replayed: false), result);
        Assert.Equal(to, Assert.Single(api.Requests).Json.GetProperty("to").GetRawText());
    }

    [Fact]
    public async Task A_json_element_body_is_sent_as_it_is_and_an_idempotency_key_goes_in_its_header()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok(Published, new Dictionary<string, string> { ["Idempotent-Replayed"] = "true" }));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);
        using var body = JsonDocument.Parse("""[1, "two", {"Three" : null}]""");

        var result = await client.PublishAsync(ChatTarget.User("bob"), "billing", body.RootElement, idempotencyKey: "invoice-42/retry");

        Assert.True(result.Replayed);
        var request = Assert.Single(api.Requests);
        Assert.Equal("invoice-42/retry", request.IdempotencyKey);
        Assert.Equal("""[1,"two",{"Three":null}]""", request.Json.GetProperty("body").GetRawText());
    }

    [Theory]
    [InlineData("")]
    [InlineData("new\nline")]
    [InlineData("with space")]
    [InlineData("ключ")]
    public async Task An_idempotency_key_that_is_not_1_to_128_printable_ascii_characters_is_refused_unsent(string key)
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok(Published));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(ChatTarget.User("bob"), "billing", "hi", key));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(ChatTarget.User("bob"), "billing", "hi", new string('k', 129)));
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Presence_is_asked_with_the_names_escaped_as_path_segments()
    {
        await using var api = await FakeApi.StartAsync(request => request.RawTarget.StartsWith("/api/v1/users/", StringComparison.Ordinal)
            ? FakeApiAnswer.Ok("""{"user":"auth0|5f7c/x y","online":true,"connections":2}""")
            : FakeApiAnswer.Ok("""{"room":"a:b","users":["alice","bob"]}"""));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        var user = await client.GetUserPresenceAsync("auth0|5f7c/x y");
        var room = await client.GetRoomPresenceAsync("a:b");

        Assert.Equal(new UserPresence("auth0|5f7c/x y", true, 2), user);
        Assert.Equal("a:b", room.Room);
        Assert.Equal(["alice", "bob"], room.Users);
        Assert.Equal(
            [("GET", "/api/v1/users/auth0%7C5f7c%2Fx%20y/presence"), ("GET", "/api/v1/rooms/a%3Ab/presence")],
            api.Requests.Select(request => (request.Method, request.RawTarget)));
        Assert.All(api.Requests, request => Assert.Equal($"Bearer {FakeApi.Key}", request.Authorization));
    }

    [Fact]
    public async Task Disconnecting_posts_the_reason_if_there_is_one_and_returns_the_connections_reached()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"connections":2}"""));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        Assert.Equal(2, await client.DisconnectUserAsync("bob", "account suspended"));
        Assert.Equal(2, await client.DisconnectUserAsync("bob"));

        var requests = api.Requests.ToArray();
        Assert.All(requests, request => Assert.Equal(("POST", "/api/v1/users/bob/disconnect"), (request.Method, request.RawTarget)));
        Assert.Equal("""{"reason":"account suspended"}""", requests[0].Body);
        Assert.Equal("", requests[1].Body);
    }

    [Fact]
    public async Task Removing_from_a_room_deletes_the_users_or_the_connections_membership()
    {
        await using var api = await FakeApi.StartAsync(request => FakeApiAnswer.Ok(request.RawTarget.Contains("/users/") ? """{"connections":3}""" : """{"connections":1}"""));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        Assert.Equal(3, await client.RemoveUserFromRoomAsync("lobby", "bob@example.com"));
        Assert.Equal(1, await client.RemoveConnectionFromRoomAsync("lobby", "9f2c4e1a7b3d5f60"));

        Assert.Equal(
            [("DELETE", "/api/v1/rooms/lobby/users/bob%40example.com"), ("DELETE", "/api/v1/rooms/lobby/connections/9f2c4e1a7b3d5f60")],
            api.Requests.Select(request => (request.Method, request.RawTarget)));
    }

    [Fact]
    public async Task Requests_go_under_a_base_address_with_a_path_and_an_http_client_of_the_callers_stays_open()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"connections":1}"""));
        using var http = new HttpClient { BaseAddress = new Uri(api.Url, "/chat") };

        using (var client = new ChatApiClient(http, FakeApi.Key))
        {
            await client.DisconnectUserAsync("bob");
        }

        Assert.Equal("/chat/api/v1/users/bob/disconnect", Assert.Single(api.Requests).RawTarget);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        Assert.Throws<ArgumentException>(() => new ChatApiClient(new HttpClient(), FakeApi.Key));
        Assert.Throws<ArgumentException>(() => new ChatApiClient(new Uri("ws://127.0.0.1:1"), FakeApi.Key));
        Assert.Throws<ArgumentException>(() => new ChatApiClient(api.Url, ""));
    }

    [Theory]
    [InlineData(400, "bad_request", "to: exactly one of user, connection, room or everyone")]
    [InlineData(404, "offline", "user bob is not connected")]
    [InlineData(409, "conflict", "a request with this Idempotency-Key is in flight")]
    [InlineData(413, "too_large", "the body is over 65536 bytes")]
    [InlineData(429, "rate_limited", "over the key's rate")]
    [InlineData(503, "unavailable", "no router is available; the message was not sent")]
    public async Task An_error_answer_becomes_a_chat_exception_with_the_apis_code_message_and_status(int status, string code, string message)
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Error(status, code, message));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        var error = await Assert.ThrowsAsync<ChatException>(() => client.PublishAsync(ChatTarget.User("bob"), "billing", "hi", "k1"));

        Assert.Equal((code, message, status), (error.Code, error.Message, error.HttpStatus));
    }

    [Fact]
    public async Task The_codes_have_constants_and_a_rate_limit_says_when_to_try_again()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Error(429, ChatErrorCodes.RateLimited, "slow down") with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "3" },
        });
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        var error = await Assert.ThrowsAsync<ChatException>(() => client.GetRoomPresenceAsync("lobby"));

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Equal("conflict", ChatErrorCodes.Conflict);
        Assert.Equal("unauthorized", ChatErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task A_401_with_an_empty_body_is_unauthorized_and_the_key_is_not_in_the_message()
    {
        await using var api = await FakeApi.StartAsync(new FakeApiAnswer(401));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        var error = await Assert.ThrowsAsync<ChatException>(() => client.GetUserPresenceAsync("bob"));

        Assert.Equal((ChatErrorCodes.Unauthorized, 401), (error.Code, error.HttpStatus));
        Assert.Contains("401", error.Message);
        Assert.DoesNotContain(FakeApi.Key, error.ToString());
    }

    [Theory]
    [InlineData(400, "bad_request")]
    [InlineData(404, "offline")]
    [InlineData(409, "conflict")]
    [InlineData(413, "too_large")]
    [InlineData(429, "rate_limited")]
    [InlineData(502, "unavailable")]
    [InlineData(503, "unavailable")]
    [InlineData(500, "internal")]
    public async Task An_error_without_the_apis_body_gets_the_code_its_status_stands_for(int status, string code)
    {
        // A proxy in front of the API may answer with a page of its own.
        await using var api = await FakeApi.StartAsync(new FakeApiAnswer(status, "<html>Bad Gateway</html>", "text/html"));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        var error = await Assert.ThrowsAsync<ChatException>(() => client.RemoveUserFromRoomAsync("lobby", "bob"));

        Assert.Equal((code, status), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task An_answer_without_its_fields_is_a_protocol_error()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"recipients":"two"}"""));
        using var client = new ChatApiClient(api.Url, FakeApi.Key);

        Assert.Equal(ChatErrorCodes.ProtocolError, (await Assert.ThrowsAsync<ChatException>(() => client.PublishAsync(ChatTarget.Everyone, "ops", 1))).Code);
        Assert.Equal(ChatErrorCodes.ProtocolError, (await Assert.ThrowsAsync<ChatException>(() => client.DisconnectUserAsync("bob"))).Code);
    }

    [Fact]
    public async Task An_api_nobody_listens_on_fails_with_connect_failed_and_a_slow_one_with_timeout()
    {
        using (var client = new ChatApiClient(new Uri($"http://127.0.0.1:{ChatPlatform.Testing.FreePort.Next()}"), FakeApi.Key))
        {
            var error = await Assert.ThrowsAsync<ChatException>(() => client.GetUserPresenceAsync("bob"));
            Assert.Equal(ChatErrorCodes.ConnectFailed, error.Code);
            Assert.Null(error.HttpStatus);
        }

        await using var api = await FakeApi.StartAsync(_ =>
        {
            Thread.Sleep(1000);
            return FakeApiAnswer.Ok("""{"connections":1}""");
        });
        using var http = new HttpClient { BaseAddress = api.Url, Timeout = TimeSpan.FromMilliseconds(200) };
        using var slow = new ChatApiClient(http, FakeApi.Key);
        Assert.Equal(ChatErrorCodes.Timeout, (await Assert.ThrowsAsync<ChatException>(() => slow.DisconnectUserAsync("bob"))).Code);

        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var patient = new ChatApiClient(api.Url, FakeApi.Key);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.DisconnectUserAsync("bob", cancellationToken: cancelled.Token));
    }
}
