using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Testing;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.DataPlane;

public sealed class PendingRequestsTests
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2.5);

    private readonly ManualTimeProvider _time = new();
    private readonly PendingRequests _pending;
    private readonly ClientConnection _connection = new("c-1", "alice", 16, TimeSpan.FromSeconds(1));

    public PendingRequestsTests()
    {
        _pending = new PendingRequests(_time, Options.Create(new GatewayOptions { AckTimeout = AckTimeout }));
    }

    [Fact]
    public void A_recorded_send_is_taken_once()
    {
        var send = Send();
        _pending.Add("m1", send);

        Assert.Equal(1, _pending.Count);
        Assert.Same(send, _pending.TryTake("m1"));
        Assert.Null(_pending.TryTake("m1"));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public void Taking_an_unknown_message_finds_nothing()
    {
        _pending.Add("m1", Send());

        Assert.Null(_pending.TryTake("m2"));
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public void A_send_expires_exactly_one_ack_timeout_after_it_was_armed()
    {
        var send = Send();
        _pending.Add("m1", send);
        _pending.Arm("m1");

        _time.Advance(AckTimeout);
        _time.AdvanceTimestamp(-1);
        Assert.Empty(_pending.TakeExpired());

        _time.AdvanceTimestamp(1);
        Assert.Same(send, Assert.Single(_pending.TakeExpired()));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public void An_expired_send_is_answered_once()
    {
        _pending.Add("m1", Send());
        _pending.Arm("m1");
        _time.Advance(AckTimeout);

        Assert.Single(_pending.TakeExpired());

        Assert.Empty(_pending.TakeExpired());
        Assert.Null(_pending.TryTake("m1"));
    }

    [Fact]
    public void The_timeout_counts_from_arming_not_from_recording()
    {
        _pending.Add("m1", Send());
        _time.Advance(TimeSpan.FromSeconds(30));
        _pending.Arm("m1");

        _time.Advance(AckTimeout / 2);
        Assert.Empty(_pending.TakeExpired());

        _time.Advance(AckTimeout / 2);
        Assert.Single(_pending.TakeExpired());
    }

    [Fact]
    public void A_send_that_is_never_armed_never_expires()
    {
        _pending.Add("m1", Send());

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(_pending.TakeExpired());
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public void An_outcome_taken_before_arming_leaves_nothing_to_expire()
    {
        var send = Send();
        _pending.Add("m1", send);

        Assert.Same(send, _pending.TryTake("m1"));
        _pending.Arm("m1");
        _time.Advance(AckTimeout * 2);

        Assert.Empty(_pending.TakeExpired());
    }

    [Fact]
    public void An_outcome_taken_after_arming_leaves_nothing_to_expire()
    {
        _pending.Add("m1", Send());
        _pending.Arm("m1");

        Assert.NotNull(_pending.TryTake("m1"));
        _time.Advance(AckTimeout * 2);

        Assert.Empty(_pending.TakeExpired());
    }

    [Fact]
    public void Only_overdue_sends_expire_in_the_order_they_were_armed()
    {
        var first = Send();
        var second = Send();
        var third = Send();
        _pending.Add("m1", first);
        _pending.Add("m2", second);
        _pending.Add("m3", third);
        _pending.Arm("m1");
        _pending.Arm("m2");
        _time.Advance(TimeSpan.FromSeconds(1));
        _pending.Arm("m3");

        _time.Advance(AckTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal([first, second], _pending.TakeExpired());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([third], _pending.TakeExpired());
    }

    [Fact]
    public void An_answered_send_does_not_hold_back_later_deadlines()
    {
        var later = Send();
        _pending.Add("m1", Send());
        _pending.Add("m2", later);
        _pending.Arm("m1");
        _pending.Arm("m2");
        Assert.NotNull(_pending.TryTake("m1"));

        _time.Advance(AckTimeout);

        Assert.Equal([later], _pending.TakeExpired());
    }

    private PendingRequest Send() => new(_connection.Id, _connection, null, "\"r\""u8.ToArray(), MessageTarget.User("bob"), _time.GetTimestamp());
}
