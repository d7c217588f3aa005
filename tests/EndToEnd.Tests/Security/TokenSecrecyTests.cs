using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>
/// A token in the query string travels in the request line, so whatever records requests could
/// leak it. The gateways' logs and exported spans must not hold it, accepted or refused.
/// </summary>
[Collection(AuthStackCollection.Name)]
public sealed class TokenSecrecyTests(AuthStackFixture fixture)
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Tokens_in_the_query_string_appear_in_no_gateway_log_and_no_exported_span()
    {
        var accepted = fixture.Tokens.Create(Names.Unique("secretive"));
        var expired = fixture.Tokens.Create(Names.Unique("late"), lifetime: TimeSpan.FromSeconds(-30));
        var spansBefore = UpgradeSpans();

        await using (var client = await TestClient.ConnectAsync(fixture.GatewayUri(0, $"?access_token={accepted}")))
        {
            await client.SendAndWaitAsync(new { user = client.User }, "to myself");
            await client.CloseAsync();
        }

        await UpgradeRefusal.StatusAsync(fixture.GatewayUri(1, $"?access_token={expired}"));

        // Both upgrades were recorded: the test would prove nothing if nothing was exported.
        await Eventually.HoldsAsync(() => Task.FromResult(UpgradeSpans() >= spansBefore + 2), ExportWait, "the gateways exported the two upgrade requests' spans");
        string[] tokens = [accepted, expired, Signature(accepted), Signature(expired)];
        foreach (var span in fixture.Telemetry.Spans)
        {
            Assert.DoesNotContain(tokens, token => span.Name.Contains(token, StringComparison.Ordinal));
            foreach (var (key, value) in span.Attributes)
            {
                Assert.DoesNotContain(tokens, token => value.Contains(token, StringComparison.Ordinal));
            }
        }

        foreach (var gateway in fixture.Stack.Gateways)
        {
            Assert.NotEmpty(gateway.Process.Output);
            Assert.DoesNotContain(gateway.Process.Output, line => tokens.Any(token => line.Contains(token, StringComparison.Ordinal)));
        }
    }

    // Each HTTP request, the upgrades included, is one server span of the ASP.NET Core instrumentation.
    private int UpgradeSpans() =>
        fixture.Telemetry.Spans.Count(span => span.Service == "gateway" && span.Attributes.GetValueOrDefault("url.path") == "/ws");

    private static string Signature(string token) => token[(token.LastIndexOf('.') + 1)..];
}
