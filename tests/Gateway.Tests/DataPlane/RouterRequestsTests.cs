using System.Text;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.DataPlane;

/// <summary>Requests handed to a router (messages and presence questions): answered exactly once, at once when no router takes them.</summary>
public sealed class RouterRequestsTests : CommandHarness
{
    [Fact]
    public async Task A_send_read_before_the_close_does_not_wait_for_a_router_once_the_connection_is_gone()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        using var closed = new CancellationTokenSource();
        await closed.CancelAsync();
        _publisher.OnPublish = (_, _) => Task.FromCanceled<bool>(closed.Token);

        await _handler.HandleAsync(alice.Connection, Encoding.UTF8.GetBytes("""{"type":"send","id":"7","to":{"user":"bob"},"body":"bye"}"""), closed.Token);

        Assert.Equal(
            """{"type":"error","id":"7","code":"unavailable","message":"the connection closed; the message was not sent"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task A_publish_that_fails_unexpectedly_leaves_no_request_waiting_forever()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _publisher.OnPublish = (_, _) => Task.FromException<bool>(new ObjectDisposedException("multiplexer"));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => HandleAsync(alice, """{"type":"send","id":"8","to":{"user":"bob"},"body":"x"}"""));

        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task An_answer_that_arrives_before_the_publish_returns_is_still_delivered_and_never_times_out()
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _publisher.OnPublish = (_, payload) =>
        {
            _acknowledgements.OnAnswer(new PresenceAnswer(DataPlaneCodec.DecodePresenceQuery(payload).QueryId, "c-alice", 0, []));
            return Task.FromResult(true);
        };

        await HandleAsync(alice, """{"type":"presence","id":"8","user":"bob"}""");
        _time.Advance(AckTimeout * 2);
        _acknowledgements.ExpireOverdue();

        Assert.Equal("""{"type":"presence","id":"8","user":"bob","online":false,"connections":0}""", (await alice.ReceiveAsync()).Text);
        await alice.AssertNothingMoreAsync();
    }

    [Theory]
    [InlineData("""{"type":"send","id":"1","to":{"user":"bob"},"body":1}""")]
    [InlineData("""{"type":"presence","id":"1","room":"lobby"}""")]
    public async Task A_request_no_router_takes_is_answered_unavailable_at_once(string frame)
    {
        await using var alice = await ConnectAsync("c-alice", "alice");
        _publisher.OnPublish = (_, _) => Task.FromResult(false);

        await HandleAsync(alice, frame);

        Assert.Equal(
            """{"type":"error","id":"1","code":"unavailable","message":"no router is available; the message was not sent"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
        await alice.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_request_redis_does_not_take_in_time_is_answered_unavailable_at_once()
    {
        // StackExchange.Redis 1.2.6 has no public constructor for its exceptions; its timeouts
        // and a plain TimeoutException take the same path.
        await using var alice = await ConnectAsync("c-alice", "alice");
        var exception = new TimeoutException("Timeout performing PUBLISH");
        _publisher.OnPublish = (_, _) => Task.FromException<bool>(exception);

        await HandleAsync(alice, """{"type":"presence","id":"1","room":"lobby"}""");

        Assert.Equal(
            """{"type":"error","id":"1","code":"unavailable","message":"the message bus is unavailable; the message was not sent"}""",
            (await alice.ReceiveAsync()).Text);
        Assert.Equal(0, _pending.Count);
        Assert.Equal(1, _metrics.Sum("chat.gateway.errors", "code", "unavailable"));
        await alice.AssertNothingMoreAsync();
    }
}
