using System.Net;
using System.Net.WebSockets;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Limits;

/// <summary>The gateway's limits at their defaults (docs/protocol.md), but for the connection limit and keepalive the disruption stack shortens.</summary>
[Collection(DisruptionCollection.Name)]
public sealed class LimitTests(DisruptionFixture fixture, ITestOutputHelper output)
{
    private const int Burst = 50;

    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task Frames_beyond_the_burst_are_refused_with_rate_limited_and_the_connection_carries_on()
    {
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));

        for (var i = 0; i < Burst + 10; i++)
        {
            await alice.SendAsync(new { type = "presence", id = $"r{i}", user = "bob" });
        }

        var answers = new List<string>();
        for (var i = 0; i < Burst + 10; i++)
        {
            var id = $"r{i}";
            var reply = await alice.ExpectAsync(frame => frame.TryGetProperty("id", out var echoed) && echoed.GetString() == id, id);
            answers.Add(reply.GetProperty("type").GetString() == "error" ? reply.GetProperty("code").GetString()! : "answered");
        }

        output.WriteLine(string.Join(' ', answers.GroupBy(answer => answer).Select(group => $"{group.Key}: {group.Count()}")));
        Assert.True(answers.Take(Burst).All(answer => answer == "answered"), string.Join(',', answers));
        Assert.Contains("rate_limited", answers.Skip(Burst));

        // The bucket refills at 20 frames a second.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("ack", (await alice.SendAndWaitAsync(new { user = alice.User }, "later")).GetProperty("type").GetString());
        Assert.Equal(WebSocketState.Open, alice.State);
    }

    [Fact]
    public async Task A_connection_that_keeps_going_over_the_limit_is_closed_with_1008()
    {
        await using var flooder = await Stack.ConnectAsync(1, Names.Unique("flood"));

        for (var i = 0; i < 400 && flooder.State == WebSocketState.Open; i++)
        {
            await flooder.SendAsync(new { type = "presence", id = $"f{i}", user = "bob" });
        }

        await flooder.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, flooder.CloseStatus);
        Assert.Equal("rate limit exceeded", flooder.CloseStatusDescription);
        Assert.Contains(flooder.Pending(), frame => frame.TryGetProperty("code", out var code) && code.GetString() == "rate_limited");
    }

    [Fact]
    public async Task An_upgrade_beyond_the_gateways_connection_limit_is_refused_with_503()
    {
        var clients = new List<TestClient>();
        try
        {
            // Whatever other tests left open counts too: fill up to the limit.
            while (true)
            {
                try
                {
                    clients.Add(await Stack.ConnectAsync(0, Names.Unique("fill")));
                }
                catch (WebSocketException)
                {
                    break;
                }

                Assert.True(clients.Count <= DisruptionFixture.MaxConnections, "the limit was not enforced");
            }

            using var refused = new ClientWebSocket();
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(Stack.GatewayUri(0, "one-too-many"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
            output.WriteLine($"opened {clients.Count} before the limit of {DisruptionFixture.MaxConnections}");

            // Room again once one leaves.
            await clients[^1].DisposeAsync();
            clients.RemoveAt(clients.Count - 1);
            await Eventually.HoldsAsync(
                async () =>
                {
                    try
                    {
                        clients.Add(await Stack.ConnectAsync(0, Names.Unique("again")));
                        return true;
                    }
                    catch (WebSocketException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(5),
                "a connection is accepted again");
        }
        finally
        {
            await Task.WhenAll(clients.Select(client => client.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task A_peer_that_stops_answering_pings_leaves_the_registry_within_the_keepalive_bound()
    {
        var user = Names.Unique("ghost");
        using var ghost = await RawWebSocket.ConnectAsync(Stack.GatewayUri(1, user));
        await using var alice = await Stack.ConnectAsync(0, Names.Unique("alice"));
        Assert.Equal(1, await OnlineConnectionsAsync(alice, user));

        // Ping after KeepAliveInterval, dropped after KeepAliveTimeout without a pong, then the close report.
        var gone = await Eventually.HoldsAsync(
            async () => await OnlineConnectionsAsync(alice, user) == 0,
            DisruptionFixture.KeepAlive * 2 + TimeSpan.FromSeconds(3),
            "the silent peer left the registry");
        output.WriteLine($"gone after {gone.TotalMilliseconds:0} ms (interval + timeout = {(DisruptionFixture.KeepAlive * 2).TotalMilliseconds:0} ms)");
    }

    private static async Task<int> OnlineConnectionsAsync(TestClient asker, string user)
    {
        var id = Guid.NewGuid().ToString("N");
        await asker.SendAsync(new { type = "presence", id, user });
        var answer = await asker.ExpectAsync(frame => frame.TryGetProperty("id", out var echoed) && echoed.GetString() == id, "the answer");
        return answer.GetProperty("connections").GetInt32();
    }
}
