using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Telemetry;

[Collection(StackCollection.Name)]
public sealed class TelemetryTests(StackFixture fixture)
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task One_trace_follows_a_message_from_the_sending_gateway_through_a_router_to_each_receiving_gateway()
    {
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bobHere = await fixture.Stack.ConnectAsync(0, bobName);
        await using var bobThere = await fixture.Stack.ConnectAsync(1, bobName);

        var ack = await alice.SendAndWaitAsync(new { user = bobName }, "traced");
        var messageId = ack.GetProperty("message").GetString()!;

        ExportedSpan[] spans = [];
        await Eventually.HoldsAsync(
            () =>
            {
                var send = fixture.Telemetry.Spans.FirstOrDefault(span => span.Name == "chat.send" && span.Attributes.GetValueOrDefault("chat.message.id") == messageId);
                spans = send is null ? [] : [.. fixture.Telemetry.Spans.Where(span => span.TraceId == send.TraceId)];
                return Task.FromResult(spans.Count(span => span.Name == "chat.deliver") == 2 && spans.Any(span => span.Name == "chat.route"));
            },
            ExportWait,
            "the message's spans were exported");

        var sendSpan = Assert.Single(spans, span => span.Name == "chat.send");
        var routeSpan = Assert.Single(spans, span => span.Name == "chat.route");
        Assert.Equal("gateway", sendSpan.Service);
        Assert.Equal("", sendSpan.ParentSpanId);
        Assert.Equal(1, sendSpan.Links);
        Assert.Equal("router", routeSpan.Service);
        Assert.Equal(sendSpan.SpanId, routeSpan.ParentSpanId);
        Assert.Equal("2", routeSpan.Attributes.GetValueOrDefault("chat.recipients"));
        Assert.All(spans.Where(span => span.Name == "chat.deliver"), deliver =>
        {
            Assert.Equal("gateway", deliver.Service);
            Assert.Equal(routeSpan.SpanId, deliver.ParentSpanId);
        });
    }

    [Fact]
    public async Task Logs_are_exported_in_the_trace_of_the_request_that_wrote_them()
    {
        var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var origin = $"https://{Names.Unique("elsewhere")}.example";

        var (status, _, _) = await UpgradeRefusal.ResponseAsync(
            fixture.Stack.GatewayUri(0, "traced"),
            new Dictionary<string, string> { ["Origin"] = origin, ["traceparent"] = $"00-{traceId}-{new string('1', 16)}-01" });

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, status);
        ExportedLog? refusal = null;
        await Eventually.HoldsAsync(
            () => Task.FromResult((refusal = fixture.Telemetry.Logs.FirstOrDefault(log => log.Body.Contains(origin, StringComparison.Ordinal))) is not null),
            ExportWait,
            "the gateway exported the refusal's log record");
        Assert.Equal("gateway", refusal!.Service);
        Assert.Equal(traceId, refusal.TraceId);
        var request = Assert.Single(fixture.Telemetry.Spans, span => span.TraceId == traceId);
        Assert.Equal(request.SpanId, refusal.SpanId);
    }

    [Theory]
    [InlineData("gateway", "chat.gateway.connections")]
    [InlineData("gateway", "chat.gateway.sends")]
    [InlineData("router", "chat.router.messages")]
    [InlineData("router", "chat.router.shards.owned")]
    [InlineData("presence", "chat.presence.registrations")]
    public async Task Every_service_exports_its_metrics(string service, string metric)
    {
        await using var alice = await fixture.Stack.ConnectAsync(0, Names.Unique("alice"));
        await alice.SendAndWaitAsync(new { user = alice.User }, "counted");

        await Eventually.HoldsAsync(
            () => Task.FromResult(fixture.Telemetry.HasMetric(service, metric)),
            ExportWait,
            $"{service} exported {metric}");
    }
}
