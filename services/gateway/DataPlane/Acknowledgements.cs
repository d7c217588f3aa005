using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Protocol;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>Answers senders: an <c>ack</c> or an <c>error</c> for every message they sent.</summary>
internal sealed class Acknowledgements(PendingSends pending, GatewayMetrics metrics, TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly string _timeoutMessage =
        $"no answer from the router within {options.Value.AckTimeout.TotalSeconds:0.#} s; the message may not have been delivered";

    public void OnOutcome(SendOutcome outcome)
    {
        if (pending.TryTake(outcome.MessageId) is not { } send)
        {
            // Already answered with a timeout.
            metrics.LateOutcome();
            return;
        }

        if (outcome.Status == SendStatus.Routed)
        {
            Reply(send, "acked", ServerFrames.Ack(send.RequestId, outcome.MessageId, outcome.Recipients));
        }
        else
        {
            Fail(send, ErrorCodes.Offline, send.Target.Kind == TargetKind.User
                ? $"user {send.Target.Value} is not connected"
                : $"connection {send.Target.Value} is not connected");
        }
    }

    public void OnNotRouted(string messageId, string reason)
    {
        if (pending.TryTake(messageId) is { } send)
        {
            Fail(send, ErrorCodes.Unavailable, reason);
        }
    }

    public void ExpireOverdue()
    {
        foreach (var send in pending.TakeExpired())
        {
            Fail(send, ErrorCodes.Unavailable, _timeoutMessage);
        }
    }

    private void Fail(PendingSend send, string code, string message)
    {
        metrics.ErrorSent(code);
        Reply(send, code, ServerFrames.Error(send.RequestId, code, message));
    }

    private void Reply(PendingSend send, string result, byte[] frame)
    {
        send.Connection.TrySend(frame);
        metrics.SendCompleted(result, time.GetElapsedTime(send.ReceivedAt));
    }
}
