using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Chaos;

/// <summary>A stack of its own for the chaos run, servers included: two of every service, default settings.</summary>
public sealed class ChaosFixture() : ChatStackFixture("chaos", presences: 2, ownServers: true);

[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosFixture>
{
    public const string Name = "chaos";
}

/// <summary>
/// Users chat steadily while every part of the platform is killed or stopped and restarted in
/// turn; a user whose connection drops resumes its session. The run reports what happened to
/// every message. A message acked to a recipient whose connection stayed open, or who resumed
/// and was told the recovery was complete, must arrive exactly once; no message may arrive
/// twice, a stream's offsets may not repeat or go back within an epoch, and no message may
/// arrive after being answered as not sent.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosTests(ChaosFixture fixture, ITestOutputHelper output)
{
    private const int Users = 12;
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a user whose connection dropped waits before resuming (each waits a random part of it).</summary>
    private static readonly TimeSpan AwayAfterDrop = TimeSpan.FromSeconds(1.5);

    /// <summary>How long after its ack a message has to reach a recipient that stays connected.</summary>
    private static readonly TimeSpan DeliveryWindow = TimeSpan.FromSeconds(2);

    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task Chatting_through_the_loss_and_restart_of_every_part_loses_and_repeats_no_acked_message()
    {
        var names = Enumerable.Range(0, Users).Select(i => Names.Unique($"u{i}")).ToList();
        var clients = names.Select((name, i) => new ChaosClient(name, gateway => Stack.GatewayUri((gateway + i) % Stack.Gateways.Count, name), Stack.Gateways.Count)).ToList();
        using var stop = new CancellationTokenSource();
        var chatting = clients.Select((client, i) => client.RunAsync([.. names.Where(name => name != client.User)], SendInterval, AwayAfterDrop, i, stop.Token)).ToList();
        var log = new List<string>();

        async Task PhaseAsync(string what, Func<Task> action, TimeSpan then)
        {
            log.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");
            await action();
            await Task.Delay(then);
        }

        await PhaseAsync("steady chat", () => Task.CompletedTask, TimeSpan.FromSeconds(4));
        await PhaseAsync("kill -9 router-1", () => Stack.Routers[0].KillAsync(), TimeSpan.FromSeconds(8));
        await PhaseAsync("restart router-1", () => RestartAsync(Stack.Routers[0]), TimeSpan.FromSeconds(3));
        await PhaseAsync("SIGTERM gateway-2", () => Stack.Gateways[1].StopAsync(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(4));
        await PhaseAsync("restart gateway-2", () => RestartAsync(Stack.Gateways[1]), TimeSpan.FromSeconds(3));
        await PhaseAsync("kill -9 gateway-1", () => Stack.Gateways[0].KillAsync(), TimeSpan.FromSeconds(4));
        await PhaseAsync("restart gateway-1", () => RestartAsync(Stack.Gateways[0]), TimeSpan.FromSeconds(3));
        await PhaseAsync("kill -9 presence-1", () => Stack.Presences[0].KillAsync(), TimeSpan.FromSeconds(3));
        await PhaseAsync("restart presence-1", () => RestartAsync(Stack.Presences[0]), TimeSpan.FromSeconds(3));
        await PhaseAsync("docker kill Redis", () => Stack.Redis.KillAsync(), TimeSpan.FromSeconds(2));
        await PhaseAsync("restart Redis (empty)", () => RestartRedisAsync(clients), TimeSpan.FromSeconds(8));
        await PhaseAsync("docker kill RabbitMQ", () => Stack.RabbitMq.KillAsync(), TimeSpan.FromSeconds(10));
        await PhaseAsync("restart RabbitMQ", () => Stack.RabbitMq.StartAsync(), TimeSpan.FromSeconds(10));

        // The sessions went with Redis's data: these resumes come back complete:false, with fresh
        // sessions, and the next ones (from those sessions) complete again.
        await PhaseAsync("kill -9 gateway-2 (sessions lost with Redis)", () => Stack.Gateways[1].KillAsync(), TimeSpan.FromSeconds(4));
        await PhaseAsync("restart gateway-2", () => RestartAsync(Stack.Gateways[1]), TimeSpan.FromSeconds(3));
        await PhaseAsync("SIGTERM gateway-1", () => Stack.Gateways[0].StopAsync(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(4));
        await PhaseAsync("restart gateway-1", () => RestartAsync(Stack.Gateways[0]), TimeSpan.FromSeconds(3));
        await PhaseAsync("settle", () => Task.CompletedTask, TimeSpan.FromSeconds(3));

        stop.Cancel();
        await Task.WhenAll(chatting);
        await Task.WhenAll(clients.Select(client => client.FinishAsync(TimeSpan.FromSeconds(10))));
        await Task.Delay(DeliveryWindow);

        var report = ChaosReport.Of(clients, DeliveryWindow);
        var text = string.Join('\n', [.. log, "", .. report.Lines()]);
        output.WriteLine(text);
        File.WriteAllText(Path.Combine(Repository.ArtifactsDirectory, "chaos-report.txt"), text);
        File.WriteAllLines(Path.Combine(Repository.ArtifactsDirectory, "chaos-journal.txt"), ChaosReport.Journal(clients));

        Assert.True(report.Acked > 0, "nothing was acked: the run measured nothing");
        Assert.True(report.ResumesComplete > 0, "no resume came back complete: the run measured no recovery");
        Assert.True(report.LostToConnectedOrResumed.Count == 0, $"acked messages were lost to connected or resumed recipients:\n{text}");
        Assert.True(report.Duplicated.Count == 0, $"messages arrived twice:\n{text}");
        Assert.True(report.OffsetFaults.Count == 0, $"a stream's offsets repeated or went back within an epoch:\n{text}");
        Assert.True(report.MiscountedRecoveries.Count == 0, $"recovered frames miscounted their messages:\n{text}");
        Assert.True(report.DeliveredAfterNotSent.Count == 0, $"messages arrived after being answered as not sent:\n{text}");
    }

    /// <summary>Redis comes back empty: history is gone, and every stream starts a new epoch.</summary>
    private async Task RestartRedisAsync(IEnumerable<ChaosClient> clients)
    {
        foreach (var client in clients)
        {
            client.NewEpochs();
        }

        await Stack.Redis.StartAsync();
    }

    private static async Task RestartAsync(ServiceProcess service)
    {
        service.Start();
        await service.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }
}
