namespace ChatPlatform.Testing;

/// <summary>A span as a service exported it over OTLP.</summary>
public sealed record ExportedSpan(
    string Service,
    string Name,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes,
    int Links);
