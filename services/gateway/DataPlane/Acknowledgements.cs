using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Answers what went to a router: a client with an <c>ack</c>, a <c>presence</c> answer or an
/// <c>error</c>; a server API call with a <see cref="RouterReply"/>.
/// </summary>
internal sealed class Acknowledgements(PendingRequests pending, GatewayMetrics metrics, TimeProvider time, IOptions<GatewayOptions> options)
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
            if (send.Caller is { } caller)
            {
                caller.TrySetResult(new RouterReply(outcome, null, null, null));
                Completed(send, "acked");
                return;
            }

            Reply(send, "acked", ServerFrames.Ack(send.RequestId, outcome.MessageId, outcome.Recipients, outcome.Stored));
        }
        else if (outcome.Status == SendStatus.Unavailable)
        {
            Fail(send, ErrorCodes.Unavailable, "history is unavailable; the message was not sent");
        }
        else
        {
            Fail(send, ErrorCodes.Offline, send.Target.Kind == TargetKind.User
                ? $"user {send.Target.Value} is not connected"
                : $"connection {send.Target.Value} is not connected");
        }
    }

    public void OnAnswer(PresenceAnswer answer)
    {
        if (pending.TryTake(answer.QueryId) is not { } query)
        {
            metrics.LateOutcome();
            return;
        }

        if (query.Caller is { } caller)
        {
            caller.TrySetResult(new RouterReply(null, answer, null, null));
            Completed(query, "presence");
            return;
        }

        Reply(query, "presence", query.Target.Kind == TargetKind.Room
            ? ServerFrames.RoomPresence(query.RequestId, query.Target.Value, answer.Users)
            : ServerFrames.UserPresence(query.RequestId, query.Target.Value, answer.Connections));
    }

    public void OnNotRouted(string key, string reason)
    {
        if (pending.TryTake(key) is { } request)
        {
            Fail(request, ErrorCodes.Unavailable, reason);
        }
    }

    public void ExpireOverdue()
    {
        foreach (var request in pending.TakeExpired())
        {
            Fail(request, ErrorCodes.Unavailable, _timeoutMessage, mayHaveTakenEffect: true);
        }
    }

    private void Fail(PendingRequest request, string code, string message, bool mayHaveTakenEffect = false)
    {
        metrics.ErrorSent(code);
        if (request.Caller is { } caller)
        {
            caller.TrySetResult(new RouterReply(null, null, code, message, mayHaveTakenEffect));
            Completed(request, code);
            return;
        }

        Reply(request, code, ServerFrames.Error(request.RequestId, code, message));
    }

    private void Reply(PendingRequest request, string result, byte[] frame)
    {
        request.Connection?.TrySend(frame);
        Completed(request, result);
    }

    private void Completed(PendingRequest request, string result) =>
        metrics.SendCompleted(result, time.GetElapsedTime(request.ReceivedAt));
}
