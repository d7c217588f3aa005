using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.DataPlane;

public sealed class AcknowledgementsTests : IDisposable
{
    private const string TimeoutMessage = "no answer from the router within 2.5 s; the message may not have been delivered";

    private readonly ManualTimeProvider _time = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricRecorder _metrics;
    private readonly PendingRequests _pending;
    private readonly Acknowledgements _acknowledgements;

    public AcknowledgementsTests()
    {
        _metrics = new MetricRecorder(_meters);
        (_pending, _acknowledgements) = Create(TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task A_routed_outcome_is_answered_with_an_ack()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"r1\"", MessageTarget.User("bob")));

        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Routed, 3));

        var ack = (await client.ReceiveAsync()).Json;
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal("\"r1\"", ack.GetProperty("id").GetRawText());
        Assert.Equal("m1", ack.GetProperty("message").GetString());
        Assert.Equal(3, ack.GetProperty("recipients").GetInt32());
        Assert.Equal(1, _metrics.Sum("chat.gateway.sends", "result", "acked"));
        Assert.Equal(0, _pending.Count);
    }

    [Theory]
    [InlineData(TargetKind.User, "bob", "user bob is not connected")]
    [InlineData(TargetKind.Connection, "3f9a0c1be2d47a85", "connection 3f9a0c1be2d47a85 is not connected")]
    public async Task An_offline_outcome_is_answered_with_an_offline_error_naming_the_target(TargetKind kind, string name, string message)
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "42", new MessageTarget(kind, name)));

        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Offline, 0));

        var error = (await client.ReceiveAsync()).Json;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("42", error.GetProperty("id").GetRawText());
        Assert.Equal("offline", error.GetProperty("code").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(1, _metrics.Sum("chat.gateway.sends", "result", "offline"));
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "offline"));
    }

    [Fact]
    public async Task A_send_without_an_outcome_gets_unavailable_once_the_ack_timeout_has_passed()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"r1\"", MessageTarget.User("bob")));
        _pending.Arm("m1");

        _time.Advance(TimeSpan.FromSeconds(2.5));
        _time.AdvanceTimestamp(-1);
        _acknowledgements.ExpireOverdue();
        Assert.Equal(1, _pending.Count);

        _time.AdvanceTimestamp(1);
        _acknowledgements.ExpireOverdue();

        var error = (await client.ReceiveAsync()).Json;
        Assert.Equal("\"r1\"", error.GetProperty("id").GetRawText());
        Assert.Equal("unavailable", error.GetProperty("code").GetString());
        Assert.Equal(TimeoutMessage, error.GetProperty("message").GetString());
        Assert.Equal(0, _pending.Count);
    }

    [Theory]
    [InlineData(500, "0.5")]
    [InlineData(2_500, "2.5")]
    [InlineData(5_000, "5")]
    [InlineData(60_000, "60")]
    public async Task The_timeout_message_states_the_configured_timeout_in_seconds(int milliseconds, string seconds)
    {
        await using var client = await StartAsync();
        var (pending, acknowledgements) = Create(TimeSpan.FromMilliseconds(milliseconds));
        pending.Add("m1", Send(client, null, MessageTarget.User("bob")));
        pending.Arm("m1");

        _time.Advance(TimeSpan.FromMilliseconds(milliseconds));
        acknowledgements.ExpireOverdue();

        var error = (await client.ReceiveAsync()).Json;
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        Assert.Equal($"no answer from the router within {seconds} s; the message may not have been delivered", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_outcome_after_the_timeout_sends_nothing_more()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"r1\"", MessageTarget.User("bob")));
        _pending.Arm("m1");
        _time.Advance(TimeSpan.FromSeconds(3));
        _acknowledgements.ExpireOverdue();
        Assert.Equal(TimeoutMessage, (await client.ReceiveAsync()).Json.GetProperty("message").GetString());

        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Routed, 1));

        await client.AssertNothingMoreAsync();
        Assert.Equal(1, _metrics.Sum("chat.gateway.outcomes.late"));
        Assert.Equal(0, _metrics.Sum("chat.gateway.sends", "result", "acked"));
    }

    [Fact]
    public async Task An_outcome_is_answered_only_once()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"r1\"", MessageTarget.User("bob")));

        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Routed, 1));
        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Offline, 0));

        Assert.Equal("ack", (await client.ReceiveAsync()).Json.GetProperty("type").GetString());
        await client.AssertNothingMoreAsync();
        Assert.Equal(1, _metrics.Sum("chat.gateway.outcomes.late"));
    }

    [Fact]
    public async Task An_outcome_before_the_timeout_is_armed_leaves_nothing_to_time_out()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"r1\"", MessageTarget.User("bob")));

        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Routed, 2));
        _pending.Arm("m1");
        _time.Advance(TimeSpan.FromSeconds(10));
        _acknowledgements.ExpireOverdue();

        Assert.Equal("ack", (await client.ReceiveAsync()).Json.GetProperty("type").GetString());
        await client.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_message_no_router_took_is_answered_with_unavailable_and_the_reason()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"r1\"", MessageTarget.User("bob")));

        _acknowledgements.OnNotRouted("m1", "no router is serving shard 3");
        _acknowledgements.OnNotRouted("m1", "again");
        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Routed, 1));

        var error = (await client.ReceiveAsync()).Json;
        Assert.Equal("\"r1\"", error.GetProperty("id").GetRawText());
        Assert.Equal("unavailable", error.GetProperty("code").GetString());
        Assert.Equal("no router is serving shard 3", error.GetProperty("message").GetString());
        await client.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task Each_answer_goes_to_the_connection_that_sent_the_message()
    {
        await using var alice = await StartAsync("c-alice", "alice");
        await using var bob = await StartAsync("c-bob", "bob");
        _pending.Add("m-alice", Send(alice, "\"a\"", MessageTarget.User("carol")));
        _pending.Add("m-bob", Send(bob, "\"b\"", MessageTarget.User("carol")));

        _acknowledgements.OnOutcome(new SendOutcome("m-bob", "c-bob", SendStatus.Routed, 1));

        Assert.Equal("\"b\"", (await bob.ReceiveAsync()).Json.GetProperty("id").GetRawText());
        await alice.AssertNothingMoreAsync();
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public async Task A_room_presence_answer_lists_the_users_for_the_room_asked_about()
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, "\"7\"", MessageTarget.Room("lobby")));

        _acknowledgements.OnAnswer(new PresenceAnswer("q1", "c-1", 3, ["alice", "bob"]));

        Assert.Equal("""{"type":"presence","id":"7","room":"lobby","users":["alice","bob"]}""", (await client.ReceiveAsync()).Text);
        Assert.Equal(1, _metrics.Sum("chat.gateway.sends", "result", "presence"));
        Assert.Equal(0, _metrics.Sum("chat.gateway.errors"));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task An_empty_room_presence_answer_lists_no_users()
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, null, MessageTarget.Room("nobody-here")));

        _acknowledgements.OnAnswer(new PresenceAnswer("q1", "c-1", 0, []));

        Assert.Equal("""{"type":"presence","id":null,"room":"nobody-here","users":[]}""", (await client.ReceiveAsync()).Text);
    }

    [Theory]
    [InlineData(2, """{"type":"presence","id":8,"user":"bob","online":true,"connections":2}""")]
    [InlineData(0, """{"type":"presence","id":8,"user":"bob","online":false,"connections":0}""")]
    public async Task A_user_presence_answer_says_whether_the_user_is_online(int connections, string expected)
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, "8", MessageTarget.User("bob")));

        // A user's answer carries no user list; only the count matters.
        _acknowledgements.OnAnswer(new PresenceAnswer("q1", "c-1", connections, []));

        Assert.Equal(expected, (await client.ReceiveAsync()).Text);
        Assert.Equal(1, _metrics.Sum("chat.gateway.sends", "result", "presence"));
    }

    [Fact]
    public async Task A_presence_question_without_an_answer_gets_unavailable_once_the_ack_timeout_has_passed()
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, "\"7\"", MessageTarget.Room("lobby")));
        _pending.Arm("q1");

        _time.Advance(TimeSpan.FromSeconds(2.5));
        _acknowledgements.ExpireOverdue();

        var error = (await client.ReceiveAsync()).Json;
        Assert.Equal("\"7\"", error.GetProperty("id").GetRawText());
        Assert.Equal("unavailable", error.GetProperty("code").GetString());
        Assert.Equal(TimeoutMessage, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_presence_answer_after_the_timeout_sends_nothing_more()
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, "\"7\"", MessageTarget.Room("lobby")));
        _pending.Arm("q1");
        _time.Advance(TimeSpan.FromSeconds(3));
        _acknowledgements.ExpireOverdue();
        Assert.Equal("unavailable", (await client.ReceiveAsync()).Json.GetProperty("code").GetString());

        _acknowledgements.OnAnswer(new PresenceAnswer("q1", "c-1", 1, ["alice"]));

        await client.AssertNothingMoreAsync();
        Assert.Equal(1, _metrics.Sum("chat.gateway.outcomes.late"));
        Assert.Equal(0, _metrics.Sum("chat.gateway.sends", "result", "presence"));
    }

    [Fact]
    public async Task A_presence_answer_is_answered_only_once()
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, "\"7\"", MessageTarget.User("bob")));

        _acknowledgements.OnAnswer(new PresenceAnswer("q1", "c-1", 1, []));
        _acknowledgements.OnAnswer(new PresenceAnswer("q1", "c-1", 5, []));

        Assert.Equal(1, (await client.ReceiveAsync()).Json.GetProperty("connections").GetInt32());
        await client.AssertNothingMoreAsync();
        Assert.Equal(1, _metrics.Sum("chat.gateway.outcomes.late"));
    }

    [Fact]
    public async Task A_presence_answer_for_an_unknown_question_is_counted_late_and_sends_nothing()
    {
        await using var client = await StartAsync();
        _pending.Add("q1", Send(client, "\"7\"", MessageTarget.User("bob")));

        _acknowledgements.OnAnswer(new PresenceAnswer("q-other", "c-1", 1, []));

        await client.AssertNothingMoreAsync();
        Assert.Equal(1, _metrics.Sum("chat.gateway.outcomes.late"));
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public async Task A_routed_outcome_for_a_room_or_everyone_is_acked_with_its_recipients_even_when_none()
    {
        await using var client = await StartAsync();
        _pending.Add("m1", Send(client, "\"4\"", MessageTarget.Room("lobby")));
        _pending.Add("m2", Send(client, "\"5\"", MessageTarget.Everyone));

        _acknowledgements.OnOutcome(new SendOutcome("m1", "c-1", SendStatus.Routed, 0));
        _acknowledgements.OnOutcome(new SendOutcome("m2", "c-1", SendStatus.Routed, 41));

        Assert.Equal("""{"type":"ack","id":"4","message":"m1","recipients":0}""", (await client.ReceiveAsync()).Text);
        Assert.Equal("""{"type":"ack","id":"5","message":"m2","recipients":41}""", (await client.ReceiveAsync()).Text);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meters.Dispose();
    }

    private (PendingRequests Pending, Acknowledgements Acknowledgements) Create(TimeSpan ackTimeout)
    {
        var options = Options.Create(new GatewayOptions { AckTimeout = ackTimeout });
        var pending = new PendingRequests(_time, options);
        var metrics = new GatewayMetrics(_meters, () => 0, () => pending.Count);
        return (pending, new Acknowledgements(pending, metrics, _time, options));
    }

    private PendingRequest Send(ConnectedClient client, string? requestId, MessageTarget target) =>
        new(client.Connection.Id, client.Connection, null, requestId is null ? null : System.Text.Encoding.UTF8.GetBytes(requestId), target, _time.GetTimestamp());

    private static async Task<ConnectedClient> StartAsync(string id = "c-1", string user = "alice")
    {
        var client = ConnectedClient.Start(id, user);
        await client.SkipWelcomeAsync();
        return client;
    }
}
