using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// Decides, as each frame is read, whether it is handled: within the connection's rate limit
/// and with room in its queue of frames waiting to be handled. A refused frame is answered
/// <c>rate_limited</c> at once, with its id if it has one. Reading never waits for handling, so
/// a frame that takes long (a publish retried while a shard moves between routers) never keeps
/// the connection from answering pings.
/// </summary>
internal sealed class FrameAdmission(IOptions<RateLimitOptions> rateLimits, IOptions<GatewayOptions> options, GatewayMetrics metrics)
{
    private readonly string _overRate =
        $"too many frames: at most {rateLimits.Value.FramesPerSecond:0.##} a second, in bursts of up to {rateLimits.Value.Burst}; this one was dropped";

    private readonly string _queueFull =
        $"too many frames waiting to be handled (at most {options.Value.MaxPendingFrames}, or {options.Value.MaxPendingBytes} bytes); this one was dropped";

    /// <summary>Creates a connection's queue of frames waiting to be handled, and the budget of bytes it may hold.</summary>
    public (Channel<QueuedFrame> Queue, FrameQueueBudget Budget) CreateQueue() =>
        (Channel.CreateBounded<QueuedFrame>(new BoundedChannelOptions(options.Value.MaxPendingFrames) { SingleReader = true, SingleWriter = true }),
         new FrameQueueBudget(options.Value.MaxPendingBytes));

    /// <param name="frame">Valid only during the call; an admitted frame is copied.</param>
    public void Admit(ClientConnection connection, ReadOnlyMemory<byte> frame, ChannelWriter<QueuedFrame> queue, FrameQueueBudget budget)
    {
        switch (connection.RateLimit?.Check() ?? RateDecision.Allow)
        {
            case RateDecision.Refuse:
                Refuse(connection, frame, _overRate);
                return;
            case RateDecision.Close:
                metrics.ErrorSent("rate_limit_close");
                connection.Close(WebSocketCloseStatus.PolicyViolation, "rate limit exceeded", drain: true);
                return;
        }

        if (!budget.TryTake(frame.Length))
        {
            Refuse(connection, frame, _queueFull);
            return;
        }

        var copy = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(copy);
        var queued = new QueuedFrame(copy, frame.Length, budget);
        if (!queue.TryWrite(queued))
        {
            queued.Release();
            Refuse(connection, frame, _queueFull);
        }
    }

    private void Refuse(ClientConnection connection, ReadOnlyMemory<byte> frame, string message)
    {
        ClientFrameParser.TryParse(frame, out var command, out var error);
        metrics.ErrorSent(ErrorCodes.RateLimited);
        connection.TrySend(ServerFrames.Error(command?.RequestId ?? error?.RequestId, ErrorCodes.RateLimited, message));
    }
}
