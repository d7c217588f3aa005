using System.Diagnostics;
using ChatPlatform.ServiceDefaults.Telemetry;

namespace ChatPlatform.Router;

internal static class RouterTelemetry
{
    public static readonly ActivitySource Source = new("ChatPlatform.Router");

    /// <summary>Starts the routing span as a child of the sending gateway's span, if there is one.</summary>
    public static Activity? StartRoute(string? traceParent) =>
        Source.StartFromTraceParent("chat.route", ActivityKind.Consumer, traceParent);

    public static Activity? StartAnswer(string? traceParent) =>
        Source.StartFromTraceParent("chat.presence", ActivityKind.Consumer, traceParent);
}
