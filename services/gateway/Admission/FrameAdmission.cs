using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Admission;

/// <summary>
/// Decides, as each frame is read, whether it is handled: within the connection's rate limit
/// and with room in its queue of frames waiting to be handled (<see cref="PendingFrames"/>). A
/// refused frame is answered <c>rate_limited</c> at once, with its id if it has one; a connection
/// that keeps going over its rate is closed with 1008. Reading never waits for handling, so a
/// frame that takes long (a publish retried while a shard moves between routers) never keeps the
/// connection from answering pings.
/// </summary>
internal sealed class FrameAdmission(IOptions<RateLimitOptions> rateLimits, IOptions<GatewayOptions> options, TimeProvider time, GatewayMetrics metrics)
{
    private readonly RateLimitOptions _rate = rateLimits.Value;

    private readonly string _overRate =
        $"too many frames: at most {rateLimits.Value.FramesPerSecond:0.##} a second, in bursts of up to {rateLimits.Value.Burst}; this one was dropped";

    private readonly string _queueFull =
        $"too many frames waiting to be handled (at most {options.Value.MaxPendingFrames}, or {options.Value.MaxPendingBytes} bytes); this one was dropped";

    /// <summary>A new connection's rate limit and its empty queue of frames waiting to be handled.</summary>
    public PendingFrames Open() => new(
        new FrameRateLimit(
            new TokenBucket(_rate.Burst, _rate.FramesPerSecond, time),
            new TokenBucket(_rate.AbuseThreshold, _rate.AbuseThreshold / _rate.AbuseWindow.TotalSeconds, time)),
        options.Value.MaxPendingFrames,
        options.Value.MaxPendingBytes);

    /// <param name="frame">Valid only during the call; an admitted frame is copied.</param>
    public void Admit(ClientConnection connection, ReadOnlyMemory<byte> frame, PendingFrames pending)
    {
        switch (pending.RateLimit.Check())
        {
            case RateDecision.Refuse:
                Refuse(connection, frame, _overRate);
                return;
            case RateDecision.Close:
                metrics.ErrorSent("rate_limit_close");
                connection.Close(CloseCodes.PolicyViolation, CloseCodes.RateLimitExceededReason, drain: true);
                return;
        }

        if (!pending.TryEnqueue(frame))
        {
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
