using System.Collections.Concurrent;
using System.Net;

namespace ChatPlatform.Testing;

/// <summary>
/// An OTLP/HTTP (protobuf) receiver on a loopback port: services under test export to it, and
/// tests read back the spans, metric names and log records they sent.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentQueue<ExportedLog> _logs = new();
    private readonly ConcurrentDictionary<(string Service, string Metric), bool> _metrics = new();

    public OtlpCollector()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Settings that make a service export here promptly.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    public IReadOnlyCollection<ExportedLog> Logs => _logs;

    public bool HasMetric(string service, string metric) => _metrics.ContainsKey((service, metric));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var path = context.Request.Url?.AbsolutePath;
            try
            {
                if (path == "/v1/traces")
                {
                    ReadTraces(body.ToArray());
                }
                else if (path == "/v1/metrics")
                {
                    ReadMetrics(body.ToArray());
                }
                else if (path == "/v1/logs")
                {
                    ReadLogs(body.ToArray());
                }

                context.Response.StatusCode = (int)HttpStatusCode.OK;
            }
            catch (Exception exception) when (exception is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // A request this reader cannot decode fails the tests that wait for it, not the collector.
                context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
            }

            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest: resource_spans(1) { resource(1), scope_spans(2) { spans(2) } }
    private void ReadTraces(byte[] request)
    {
        foreach (var (service, scope) in ScopesByService(request))
        {
            foreach (var span in Repeated(scope, field: 2))
            {
                _spans.Enqueue(ReadSpan(service, span));
            }
        }
    }

    // Span: trace_id(1) span_id(2) parent_span_id(4) name(5) attributes(9) links(13)
    private static ExportedSpan ReadSpan(string service, ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string traceId = "", spanId = "", parentId = "", name = "";
        var attributes = new Dictionary<string, string>();
        var links = 0;
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    traceId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case 2:
                    spanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case 4:
                    parentId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case 5:
                    name = reader.String();
                    break;
                case 9:
                    var (key, value) = KeyValue(reader.Bytes());
                    attributes[key] = value;
                    break;
                case 13:
                    links++;
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new ExportedSpan(service, name, traceId, spanId, parentId, attributes, links);
    }

    // ExportMetricsServiceRequest: resource_metrics(1) { resource(1), scope_metrics(2) { metrics(2) { name(1) } } }
    private void ReadMetrics(byte[] request)
    {
        foreach (var (service, scope) in ScopesByService(request))
        {
            foreach (var metric in Repeated(scope, field: 2))
            {
                foreach (var name in Repeated(metric, field: 1))
                {
                    _metrics[(service, System.Text.Encoding.UTF8.GetString(name))] = true;
                }
            }
        }
    }

    // ExportLogsServiceRequest: resource_logs(1) { resource(1), scope_logs(2) { log_records(2) } }
    private void ReadLogs(byte[] request)
    {
        foreach (var (service, scope) in ScopesByService(request))
        {
            foreach (var record in Repeated(scope, field: 2))
            {
                _logs.Enqueue(ReadLog(service, record));
            }
        }
    }

    // LogRecord: severity_text(3) body(5) attributes(6) trace_id(9) span_id(10)
    private static ExportedLog ReadLog(string service, ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string severity = "", body = "", traceId = "", spanId = "";
        var attributes = new Dictionary<string, string>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 3:
                    severity = reader.String();
                    break;
                case 5:
                    body = AnyValue(reader.Bytes());
                    break;
                case 6:
                    var (key, value) = KeyValue(reader.Bytes());
                    attributes[key] = value;
                    break;
                case 9:
                    traceId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case 10:
                    spanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new ExportedLog(service, severity, body, traceId, spanId, attributes);
    }

    /// <summary>
    /// Traces, metrics and logs share an outer shape: resource blocks (field 1), each with a resource
    /// (field 1) naming the service and scope blocks (field 2).
    /// </summary>
    private static List<(string Service, byte[] Scope)> ScopesByService(byte[] request)
    {
        var scopes = new List<(string, byte[])>();
        foreach (var block in Repeated(request, field: 1))
        {
            var service = Repeated(block, field: 1).Select(resource => ServiceName(resource)).FirstOrDefault() ?? "";
            scopes.AddRange(Repeated(block, field: 2).Select(scope => (service, scope)));
        }

        return scopes;
    }

    /// <summary>The contents of every length-delimited occurrence of <paramref name="field"/>.</summary>
    private static List<byte[]> Repeated(ReadOnlySpan<byte> message, int field)
    {
        var values = new List<byte[]>();
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Field == field && reader.WireType == 2)
            {
                values.Add(reader.Bytes().ToArray());
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }

    // Resource: attributes(1) of KeyValue { key(1), value(2) AnyValue { string_value(1), bool_value(2), int_value(3) } }
    private static string ServiceName(ReadOnlySpan<byte> resource)
    {
        var reader = new ProtoReader(resource);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                var (key, value) = KeyValue(reader.Bytes());
                if (key == "service.name")
                {
                    return value;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return "";
    }

    private static (string Key, string Value) KeyValue(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string key = "", value = "";
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                key = reader.String();
            }
            else if (reader.Field == 2)
            {
                value = AnyValue(reader.Bytes());
            }
            else
            {
                reader.Skip();
            }
        }

        return (key, value);
    }

    // AnyValue { string_value(1), bool_value(2), int_value(3) }; other kinds read as "".
    private static string AnyValue(ReadOnlySpan<byte> data)
    {
        var any = new ProtoReader(data);
        var value = "";
        while (any.Next())
        {
            if (any.Field == 1 && any.WireType == 2)
            {
                value = any.String();
            }
            else if (any.Field is 2 or 3 && any.WireType == 0)
            {
                var number = any.Varint();
                value = any.Field == 2 ? (number != 0 ? "true" : "false") : ((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                any.Skip();
            }
        }

        return value;
    }
}
