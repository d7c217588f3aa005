using System.Text;
using ChatPlatform.Gateway.Admission;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Tests.Support;
using ChatPlatform.Testing;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Tests.Admission;

public sealed class FrameAdmissionTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestMeterFactory _meters = new();
    private readonly RateLimitOptions _rate = new() { FramesPerSecond = 1, Burst = 3, AbuseThreshold = 2, AbuseWindow = TimeSpan.FromSeconds(10) };
    private readonly GatewayOptions _gateway = new() { MaxPendingFrames = 4, MaxPendingBytes = 65_536 };
    private ConnectedClient? _client;

    [Fact]
    public async Task Frames_within_the_limit_are_queued_as_copies_in_order()
    {
        var (admission, client, pending) = Start();
        var buffer = Encoding.UTF8.GetBytes("""{"type":"presence","id":"a","user":"bob"}""");

        admission.Admit(client.Connection, buffer, pending);
        buffer[0] = (byte)'X';
        admission.Admit(client.Connection, Encoding.UTF8.GetBytes("""{"id":"b"}"""), pending);

        Assert.True(pending.Reader.TryRead(out var first));
        Assert.Equal("""{"type":"presence","id":"a","user":"bob"}""", Encoding.UTF8.GetString(first.Frame.Span));
        Assert.True(pending.Reader.TryRead(out var second));
        Assert.Equal("""{"id":"b"}""", Encoding.UTF8.GetString(second.Frame.Span));
        first.Release();
        second.Release();
        await client.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task A_frame_over_the_rate_is_answered_rate_limited_with_its_id_and_not_queued()
    {
        var (admission, client, pending) = Start();
        for (var i = 0; i < 3; i++)
        {
            admission.Admit(client.Connection, Frame($"f{i}"), pending);
        }

        admission.Admit(client.Connection, Frame("over"), pending);

        var refusal = (await client.ReceiveAsync()).Json;
        Assert.Equal("rate_limited", refusal.GetProperty("code").GetString());
        Assert.Equal("over", refusal.GetProperty("id").GetString());
        Assert.StartsWith("too many frames: at most 1 a second, in bursts of up to 3", refusal.GetProperty("message").GetString());
        Assert.Equal(3, Drain(pending));
    }

    [Fact]
    public void Refusals_beyond_the_abuse_threshold_close_the_connection_with_1008()
    {
        var (admission, client, pending) = Start();
        for (var i = 0; i < 3 + 2; i++)
        {
            admission.Admit(client.Connection, Frame($"f{i}"), pending);
        }

        Assert.False(client.Connection.IsClosing);
        admission.Admit(client.Connection, Frame("too-far"), pending);

        Assert.True(client.Connection.IsClosing);
        Assert.Equal("1008", client.Connection.CloseDescription);
        Drain(pending);
    }

    [Fact]
    public async Task A_full_queue_refuses_further_frames_until_one_is_handled()
    {
        _rate.Burst = 100;
        var (admission, client, pending) = Start();
        for (var i = 0; i < 4; i++)
        {
            admission.Admit(client.Connection, Frame($"f{i}"), pending);
        }

        admission.Admit(client.Connection, Frame("fifth"), pending);
        var refusal = (await client.ReceiveAsync()).Json;
        Assert.Equal("fifth", refusal.GetProperty("id").GetString());
        Assert.StartsWith("too many frames waiting to be handled (at most 4", refusal.GetProperty("message").GetString());

        Assert.True(pending.Reader.TryRead(out var handled));
        handled.Release();
        admission.Admit(client.Connection, Frame("sixth"), pending);
        Assert.Equal(4, Drain(pending));
    }

    [Fact]
    public async Task Frames_over_the_byte_budget_are_refused_and_their_bytes_come_back_when_handled()
    {
        _rate.Burst = 100;
        var (admission, client, pending) = Start();
        var big = Encoding.UTF8.GetBytes("{\"id\":\"big\",\"pad\":\"" + new string('x', 40_000) + "\"}");

        admission.Admit(client.Connection, big, pending);
        admission.Admit(client.Connection, big, pending);

        Assert.Equal("big", (await client.ReceiveAsync()).Json.GetProperty("id").GetString());
        Assert.Equal(1, Drain(pending));
        admission.Admit(client.Connection, big, pending);
        Assert.Equal(1, Drain(pending));
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _meters.Dispose();
    }

    private (FrameAdmission, ConnectedClient, PendingFrames) Start()
    {
        var metrics = new GatewayMetrics(_meters, () => 0, () => 0);
        var admission = new FrameAdmission(Options.Create(_rate), Options.Create(_gateway), _time, metrics);
        _client = ConnectedClient.Start(new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30)), WebSocketPair.Create());
        _client.SkipWelcomeAsync().GetAwaiter().GetResult();
        return (admission, _client, admission.Open());
    }

    private static byte[] Frame(string id) => Encoding.UTF8.GetBytes($$"""{"type":"presence","id":"{{id}}","user":"bob"}""");

    private static int Drain(PendingFrames pending)
    {
        var count = 0;
        while (pending.Reader.TryRead(out var frame))
        {
            frame.Release();
            count++;
        }

        return count;
    }
}
