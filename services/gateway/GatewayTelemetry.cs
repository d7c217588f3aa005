using System.Diagnostics;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway;

/// <summary>
/// The gateway's spans. A message's trace starts at <c>chat.send</c> on the sending gateway,
/// continues in the router's <c>chat.route</c>, and ends in <c>chat.deliver</c> on each gateway
/// that writes it to sockets; the W3C trace context travels inside the Redis payloads.
/// </summary>
internal static class GatewayTelemetry
{
    public static readonly ActivitySource Source = new("ChatPlatform.Gateway");

    public static Activity? StartSend(string messageId, MessageTarget target)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("chat.send", ActivityKind.Producer);
        activity?.SetTag("chat.message.id", messageId);
        activity?.SetTag("chat.target.kind", target.Kind.ToString());
        return activity;
    }

    public static Activity? StartDeliver(string? traceParent) =>
        Source.HasListeners()
            ? Source.StartActivity(
                "chat.deliver",
                ActivityKind.Consumer,
                ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default)
            : null;
}
