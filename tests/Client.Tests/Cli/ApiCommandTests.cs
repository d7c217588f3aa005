using System.Text.Json;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Cli;

/// <summary><c>chat api</c> run as a process against a stand-in server API: the requests it makes, what it prints, and its exit codes.</summary>
public sealed class ApiCommandTests
{
    [Fact]
    public async Task Publish_sends_the_target_sender_body_and_idempotency_key_and_prints_the_answer_as_one_json_line()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok(
            """{"message":"0193f6c2a8a77c4b9b1f3c2d4e5f6a7b","recipients":2,"stored":true}""",
            new Dictionary<string, string> { ["Idempotent-Replayed"] = "true" }));

        var run = await RunAsync(api, ["api", "publish", "--to", "user:bob", "--from", "billing", "--idempotency-key", "invoice-42", """{"text":"Your invoice is ready"}"""]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal("""{"message":"0193f6c2a8a77c4b9b1f3c2d4e5f6a7b","recipients":2,"stored":true,"replayed":true}""", Assert.Single(run.Stdout));
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/api/v1/publish", $"Bearer {FakeApi.Key}", "invoice-42"), (request.Method, request.RawTarget, request.Authorization, request.IdempotencyKey));
        Assert.Equal("""{"to":{"user":"bob"},"from":"billing","body":{"text":"Your invoice is ready"}}""", request.Body);
    }

    [Theory]
    [InlineData("room:private:staff", """{"room":"private:staff"}""")]
    [InlineData("connection:9f2c4e1a7b3d5f60", """{"connection":"9f2c4e1a7b3d5f60"}""")]
    [InlineData("everyone", """{"everyone":true}""")]
    public async Task Publish_takes_each_kind_of_target_and_any_json_body(string to, string written)
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"message":"m","recipients":0,"stored":false}"""));

        var run = await RunAsync(api, ["api", "publish", "--to", to, "--from", "ops", "\"maintenance at noon\""]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""{"message":"m","recipients":0,"stored":false,"replayed":false}""", Assert.Single(run.Stdout));
        var body = Assert.Single(api.Requests).Json;
        Assert.Equal(written, body.GetProperty("to").GetRawText());
        Assert.Equal("maintenance at noon", body.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Presence_asks_about_a_user_or_a_room_and_prints_the_answer()
    {
        await using var api = await FakeApi.StartAsync(request => request.RawTarget.Contains("/users/")
            ? FakeApiAnswer.Ok("""{"user":"bob","online":true,"connections":2}""")
            : FakeApiAnswer.Ok("""{"room":"lobby","users":["alice","bob"]}"""));

        var user = await RunAsync(api, ["api", "presence", "user:bob"]);
        var room = await RunAsync(api, ["api", "presence", "room:lobby"]);

        Assert.Equal("""{"user":"bob","online":true,"connections":2}""", Assert.Single(user.Stdout));
        Assert.Equal("""{"room":"lobby","users":["alice","bob"]}""", Assert.Single(room.Stdout));
        Assert.Equal(["/api/v1/users/bob/presence", "/api/v1/rooms/lobby/presence"], api.Requests.Select(request => request.RawTarget));
        Assert.All(api.Requests, request => Assert.Equal("GET", request.Method));
    }

    [Fact]
    public async Task Disconnect_and_remove_call_the_moderation_endpoints()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"connections":2}"""));

        var runs = new[]
        {
            await RunAsync(api, ["api", "disconnect", "bob", "--reason", "account suspended"]),
            await RunAsync(api, ["api", "remove", "lobby", "bob"]),
            await RunAsync(api, ["api", "remove", "lobby", "--connection", "c1"]),
        };

        Assert.All(runs, run => Assert.Equal((0, """{"connections":2}"""), (run.ExitCode, Assert.Single(run.Stdout))));
        Assert.Equal(
            [("POST", "/api/v1/users/bob/disconnect", """{"reason":"account suspended"}"""), ("DELETE", "/api/v1/rooms/lobby/users/bob", ""), ("DELETE", "/api/v1/rooms/lobby/connections/c1", "")],
            api.Requests.Select(request => (request.Method, request.RawTarget, request.Body)));
    }

    [Fact]
    public async Task An_error_answer_goes_to_stderr_with_its_code_and_status_and_exits_with_4()
    {
        await using var api = await FakeApi.StartAsync(request => request.Authorization == $"Bearer {FakeApi.Key}"
            ? FakeApiAnswer.Error(404, "offline", "user bob is not connected")
            : new FakeApiAnswer(401));

        var offline = await RunAsync(api, ["api", "disconnect", "bob"]);
        var refused = await RunAsync(api, ["api", "presence", "user:bob"], key: "not-the-key");

        Assert.Equal(4, offline.ExitCode);
        Assert.Empty(offline.Stdout);
        Assert.Equal("chat api: offline: user bob is not connected (HTTP 404)", Assert.Single(offline.Stderr));
        Assert.Equal(4, refused.ExitCode);
        Assert.Empty(refused.Stdout);
        Assert.StartsWith("chat api: unauthorized: ", Assert.Single(refused.Stderr));
        Assert.Contains("(HTTP 401)", refused.Stderr[0]);
    }

    [Fact]
    public async Task The_key_comes_from_a_file_when_asked_and_without_any_key_nothing_is_sent()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"connections":1}"""));
        var keyFile = Path.Combine(Repository.ArtifactsDirectory, $"api-key-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(keyFile, FakeApi.Key + "\n");
        try
        {
            var fromFile = await RunAsync(api, ["api", "disconnect", "bob", "--api-key-file", keyFile], key: null);
            var without = await RunAsync(api, ["api", "disconnect", "bob"], key: null);

            Assert.Equal(0, fromFile.ExitCode);
            Assert.Equal($"Bearer {FakeApi.Key}", Assert.Single(api.Requests).Authorization);
            Assert.Equal(1, without.ExitCode);
            Assert.Contains(without.Stderr, line => line.Contains("CHAT_API_KEY"));
            Assert.Single(api.Requests);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task The_address_comes_from_api_url_over_chat_api_url_and_an_api_nobody_listens_on_exits_with_2()
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"connections":1}"""));
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";

        var overridden = await ChatCli.RunAsync("cli-api", ["api", "disconnect", "bob", "--api-url", api.Url.ToString()], Environment(nowhere, FakeApi.Key));
        var unreachable = await ChatCli.RunAsync("cli-api", ["api", "disconnect", "bob"], Environment(nowhere, FakeApi.Key));

        Assert.Equal(0, overridden.ExitCode);
        Assert.Single(api.Requests);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Empty(unreachable.Stdout);
        Assert.StartsWith("chat api: connect_failed: ", Assert.Single(unreachable.Stderr));
    }

    [Theory]
    [InlineData("publish", "--to", "bob", "--from", "billing", "\"hi\"")]
    [InlineData("publish", "--to", "user:bob", "--from", "billing", "not json")]
    [InlineData("publish", "--to", "user:bob", "--from", "billing", "\"hi\"", "--idempotency-key", "")]
    [InlineData("presence", "connection:c1")]
    [InlineData("remove", "lobby")]
    [InlineData("remove", "lobby", "bob", "--connection", "c1")]
    [InlineData("disconnect", "bob", "--api-key", FakeApi.Key)]
    public async Task Bad_arguments_exit_with_1_and_send_nothing(params string[] arguments)
    {
        await using var api = await FakeApi.StartAsync(FakeApiAnswer.Ok("""{"connections":1}"""));

        var run = await RunAsync(api, ["api", .. arguments]);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.NotEmpty(run.Stderr);
        Assert.Empty(api.Requests);
    }

    private static Task<(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)> RunAsync(FakeApi api, string[] arguments, string? key = FakeApi.Key) =>
        ChatCli.RunAsync("cli-api", arguments, Environment(api.Url.ToString(), key));

    private static Dictionary<string, string?> Environment(string url, string? key)
    {
        var environment = new Dictionary<string, string?> { ["CHAT_API_URL"] = url };
        if (key is not null)
        {
            environment["CHAT_API_KEY"] = key;
        }

        return environment;
    }
}
