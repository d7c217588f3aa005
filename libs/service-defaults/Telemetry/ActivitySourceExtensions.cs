using System.Diagnostics;

namespace ChatPlatform.ServiceDefaults.Telemetry;

public static class ActivitySourceExtensions
{
    /// <summary>
    /// Starts a span continuing the trace whose W3C <c>traceparent</c> travelled with a message,
    /// or a new trace when there is none. Costs nothing when nobody listens.
    /// </summary>
    public static Activity? StartFromTraceParent(this ActivitySource source, string name, ActivityKind kind, string? traceParent) =>
        source.HasListeners()
            ? source.StartActivity(name, kind, ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default)
            : null;
}
