namespace ChatPlatform.Testing;

/// <summary>A log record as a service exported it over OTLP.</summary>
public sealed record ExportedLog(
    string Service,
    string Severity,
    string Body,
    string TraceId,
    string SpanId,
    IReadOnlyDictionary<string, string> Attributes);
