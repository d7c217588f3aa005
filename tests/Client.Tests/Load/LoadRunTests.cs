using System.Text.Json;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests.Load;

/// <summary>
/// <c>chat-load</c> run as a process against the live stack, over both gateways. Only the
/// summary's consistency is checked, never speed: the machine running the tests may be busy.
/// </summary>
[Collection(ClientStackCollection.Name)]
public sealed class LoadRunTests(ClientStackFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("direct")]
    [InlineData("room")]
    public async Task A_short_run_is_acked_and_delivered_in_full_and_says_so_in_one_json_object(string mode)
    {
        var run = await LoadCli.RunAsync($"load-{mode}", [.. Gateways(), "--clients", "6", "--mode", mode, "--rate", "4", "--duration", "2s", "--json"], RunTimeout);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var summary = LoadCli.Summary(run.Stdout);
        Assert.Equal(mode, summary.GetProperty("mode").GetString());
        Assert.Equal(2, summary.GetProperty("gateways").GetInt32());
        AssertConsistent(summary);

        var sent = summary.GetProperty("sent").GetInt64();
        var expected = summary.GetProperty("expected").GetInt64();
        if (mode == "room")
        {
            // Every client is in the room: each message reaches the five others.
            Assert.Equal(sent * 5, expected);
        }
        else
        {
            Assert.Equal(sent, expected);
        }
    }

    [Fact]
    public async Task Clients_connect_with_tokens_minted_from_the_secret_and_a_message_cap_ends_the_run()
    {
        var run = await LoadCli.RunAsync("load-tokens", [
            .. Gateways(), "--clients", "4", "--rate", "5", "--messages", "12", "--json",
            "--secret", fixture.Tokens.Secret, "--issuer", fixture.Tokens.Issuer, "--audience", fixture.Tokens.Audience], RunTimeout);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var summary = LoadCli.Summary(run.Stdout);
        Assert.Equal(12, summary.GetProperty("sent").GetInt64());
        AssertConsistent(summary);
    }

    [Fact]
    public async Task Plain_output_names_every_number()
    {
        var run = await LoadCli.RunAsync("load-text", [.. Gateways(), "--clients", "2", "--rate", "2", "--duration", "1", "--drain", "2s"], RunTimeout);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        foreach (var name in new[] { "connected", "connect ms", "sent", "acked", "errors", "expected", "received", "lost", "duplicates", "ack ms", "delivery ms" })
        {
            Assert.Contains(run.Stdout.Split('\n'), line => line.StartsWith(name + " ", StringComparison.Ordinal));
        }

        Assert.Contains("errors       none", run.Stdout);
        Assert.Contains("lost         0", run.Stdout);
    }

    [Fact]
    public async Task A_stack_nobody_listens_on_exits_with_3_and_says_why()
    {
        var run = await LoadCli.RunAsync("load-unreachable", ["--url", $"ws://127.0.0.1:{FreePort.Next()}/ws", "--clients", "3", "--duration", "1", "--json"], RunTimeout);

        Assert.Equal(3, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("no client could connect", run.Stderr);
        Assert.Contains("connect_failed", run.Stderr);
    }

    [Theory]
    [InlineData("--clients", "0")]
    [InlineData("--rate", "0")]
    [InlineData("--duration", "11m")]
    [InlineData("--duration", "soon")]
    [InlineData("--mode", "broadcast")]
    [InlineData("--room", "no spaces")]
    [InlineData("--clients", "1")]
    [InlineData("--secret", "too-short")]
    public async Task Bad_arguments_exit_with_2_and_say_why_on_stderr(string option, string value)
    {
        var run = await LoadCli.RunAsync("load-usage", ["--url", "ws://127.0.0.1:1/ws", option, value], RunTimeout);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains(option == "--secret" ? "secret" : option == "--clients" && value == "1" ? "2 clients" : option, run.Stderr);
    }

    private string[] Gateways() => ["--url", fixture.GatewayUrl(0).ToString(), "--url", fixture.GatewayUrl(1).ToString()];

    private static void AssertConsistent(JsonElement summary)
    {
        var clients = summary.GetProperty("clients").GetInt32();
        Assert.Equal(clients, summary.GetProperty("connected").GetInt32());
        Assert.Equal(0, summary.GetProperty("connectFailed").GetInt32());
        var sent = summary.GetProperty("sent").GetInt64();
        Assert.True(sent > 0, summary.ToString());
        Assert.Equal(sent, summary.GetProperty("acked").GetInt64());
        Assert.Empty(summary.GetProperty("errors").EnumerateObject());
        var expected = summary.GetProperty("expected").GetInt64();
        Assert.True(expected > 0, summary.ToString());
        Assert.Equal(expected, summary.GetProperty("received").GetInt64());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
        Assert.Equal(0, summary.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, summary.GetProperty("unackedDelivered").GetInt64());
        Assert.False(summary.GetProperty("interrupted").GetBoolean());
        Assert.True(summary.GetProperty("isClean").GetBoolean());
        Assert.True(summary.GetProperty("sentPerSecond").GetDouble() > 0);
        Assert.True(summary.GetProperty("deliveredPerSecond").GetDouble() > 0);

        AssertOrdered(summary.GetProperty("connectMs"), clients);
        AssertOrdered(summary.GetProperty("ackMs"), sent);
        AssertOrdered(summary.GetProperty("deliveryMs"), expected);
    }

    private static void AssertOrdered(JsonElement latency, long count)
    {
        Assert.Equal(count, latency.GetProperty("count").GetInt64());
        var (p50, p90, p99, max) = (latency.GetProperty("p50").GetDouble(), latency.GetProperty("p90").GetDouble(), latency.GetProperty("p99").GetDouble(), latency.GetProperty("max").GetDouble());
        Assert.True(p50 >= 0 && p50 <= p90 && p90 <= p99 && p99 <= max, latency.ToString());
    }
}
