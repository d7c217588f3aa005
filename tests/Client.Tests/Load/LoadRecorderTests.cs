extern alias load;

using load::ChatPlatform.Load.Stats;

namespace ChatPlatform.Client.Tests.Load;

public sealed class LoadRecorderTests
{
    private static readonly RunHeader Header = new("room", 3, 2, 10, "lobby");

    [Fact]
    public void The_drain_ends_early_only_when_every_send_was_acked_and_its_deliveries_came()
    {
        var recorder = new LoadRecorder(2);
        recorder.Sending();
        recorder.Acked(0, 0, 1, 1_000);
        Assert.False(recorder.AllExpectedDelivered);
        Assert.True(recorder.Delivered(1, 0, 0, 2_000, 1_000_000));
        Assert.True(recorder.AllExpectedDelivered);

        // A failed send that was delivered anyway must not stand in for an acked one still on its way.
        recorder.Sending();
        recorder.Acked(0, 1, 1, 1_000);
        recorder.Sending();
        recorder.Failed("timeout");
        Assert.True(recorder.Delivered(1, 0, 2, 2_000, 1_000_000));
        Assert.False(recorder.AllExpectedDelivered);
        Assert.True(recorder.Delivered(1, 0, 1, 2_000, 1_000_000));
        Assert.False(recorder.AllExpectedDelivered);
    }

    [Fact]
    public void Deliveries_of_acked_messages_are_matched_against_the_recipients_the_acks_promised()
    {
        var recorder = new LoadRecorder(3);
        recorder.Connected(1_000);
        recorder.Connected(2_000);
        recorder.Connected(3_000);

        // Client 0 sends messages 0 and 1 to the room (two recipients each); message 1 reaches only client 1.
        recorder.Sending();
        recorder.Sending();
        recorder.Acked(0, 0, 2, 1_500);
        recorder.Acked(0, 1, 2, 2_500);
        Assert.True(recorder.Delivered(1, 0, 0, 3_000, 1_000_000));
        Assert.True(recorder.Delivered(2, 0, 0, 4_000, 1_000_000));
        Assert.True(recorder.Delivered(1, 0, 1, 5_000, 2_000_000));
        Assert.False(recorder.Delivered(1, 0, 1, 5_000, 2_000_000));

        // Client 1's message 0 timed out, yet reached client 0.
        recorder.Sending();
        recorder.Failed("timeout");
        Assert.True(recorder.Delivered(0, 1, 0, 6_000, 2_000_000));
        recorder.Foreign();
        recorder.Skipped(4);

        var summary = recorder.Summarize(Header, 0.5, 0, 1_000_000, interrupted: false);

        Assert.Equal(3, summary.Connected);
        Assert.Equal(3, summary.Sent);
        Assert.Equal(4, summary.Skipped);
        Assert.Equal(2, summary.Acked);
        Assert.Equal(new Dictionary<string, long> { ["timeout"] = 1 }, summary.Errors);
        Assert.Equal(4, summary.Expected);
        Assert.Equal(3, summary.Received);
        Assert.Equal(1, summary.Lost);
        Assert.Equal(1, summary.Duplicates);
        Assert.Equal(1, summary.UnackedDelivered);
        Assert.Equal(1, summary.Foreign);
        Assert.Equal(3.0, summary.SentPerSecond);
        Assert.Equal(2.0, summary.DeliveredPerSecond);
        Assert.Equal(2, summary.AckMs!.Count);
        Assert.Equal(2.5, summary.AckMs.Max);
        Assert.Equal(4, summary.DeliveryMs!.Count);
        Assert.Equal(6.0, summary.DeliveryMs.Max);
        Assert.False(summary.IsClean);
    }

    [Fact]
    public void A_run_where_everything_arrived_once_is_clean()
    {
        var recorder = new LoadRecorder(2);
        recorder.Connected(1_000);
        recorder.Connected(1_000);
        recorder.Sending();
        recorder.Acked(0, 0, 1, 1_000);
        recorder.Delivered(1, 0, 0, 1_000, 10);

        var summary = recorder.Summarize(Header with { Clients = 2 }, 0.1, 0, 0, interrupted: false);

        Assert.Equal(0, summary.Lost);
        Assert.True(summary.IsClean);
        Assert.Equal(0, summary.SentPerSecond);
    }

    [Fact]
    public void A_failed_connect_is_an_error_and_no_latency_is_made_up()
    {
        var recorder = new LoadRecorder(2);
        recorder.ConnectFailed("connect_failed");

        var summary = recorder.Summarize(Header with { Clients = 2 }, 0.1, 0, 0, interrupted: true);

        Assert.Equal(1, summary.ConnectFailed);
        Assert.Equal(1, summary.Errors["connect:connect_failed"]);
        Assert.Null(summary.ConnectMs);
        Assert.Null(summary.AckMs);
        Assert.Null(summary.DeliveryMs);
        Assert.False(summary.IsClean);
    }
}
