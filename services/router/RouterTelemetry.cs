using System.Diagnostics;

namespace ChatPlatform.Router;

internal static class RouterTelemetry
{
    public static readonly ActivitySource Source = new("ChatPlatform.Router");

    /// <summary>Starts the routing span as a child of the sending gateway's span, if there is one.</summary>
    public static Activity? StartRoute(string? traceParent) =>
        Source.HasListeners()
            ? Source.StartActivity(
                "chat.route",
                ActivityKind.Consumer,
                ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default)
            : null;
}
