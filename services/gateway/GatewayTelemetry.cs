using System.Diagnostics;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.ServiceDefaults.Telemetry;

namespace ChatPlatform.Gateway;

/// <summary>
/// The gateway's spans. A message's trace starts at <c>chat.send</c> on the sending gateway,
/// continues in the router's <c>chat.route</c>, and ends in <c>chat.deliver</c> on each gateway
/// that writes it to sockets; the W3C trace context travels inside the Redis payloads.
/// </summary>
internal static class GatewayTelemetry
{
    public static readonly ActivitySource Source = new("ChatPlatform.Gateway");

    /// <summary>
    /// Starts a message's trace. Each message gets a trace of its own, linked to the
    /// connection's span, rather than joining the WebSocket request's span, which lasts as long
    /// as the connection.
    /// </summary>
    /// <remarks>Clears <see cref="Activity.Current"/> for the rest of the calling async method.</remarks>
    public static Activity? StartSend(string messageId, MessageTarget target)
    {
        var activity = StartRoot("chat.send");
        activity?.SetTag("chat.message.id", messageId);
        activity?.SetTag("chat.target.kind", target.Kind.ToString());
        return activity;
    }

    /// <summary>Starts a presence question's trace; like <see cref="StartSend"/>, one of its own.</summary>
    public static Activity? StartPresence(MessageTarget target)
    {
        var activity = StartRoot("chat.presence");
        activity?.SetTag("chat.target.kind", target.Kind.ToString());
        return activity;
    }

    /// <summary>
    /// Starts what a server API request sends (<c>chat.send</c>, <c>chat.presence</c> or
    /// <c>chat.moderate</c>) inside the request's own span, which is the root of its trace.
    /// </summary>
    public static Activity? StartApiCall(string name, string id, MessageTarget target)
    {
        var activity = Source.StartActivity(name, ActivityKind.Producer);
        activity?.SetTag("chat.message.id", id);
        activity?.SetTag("chat.target.kind", target.Kind.ToString());
        return activity;
    }

    public static Activity? StartDeliver(string? traceParent) =>
        Source.StartFromTraceParent("chat.deliver", ActivityKind.Consumer, traceParent);

    private static Activity? StartRoot(string name)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var connection = Activity.Current;
        Activity.Current = null;
        return Source.StartActivity(
            name,
            ActivityKind.Producer,
            parentContext: default,
            links: connection is null ? null : [new ActivityLink(connection.Context)]);
    }
}
