using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatPlatform.Contracts.Connections;
using ChatPlatform.Testing;
using MassTransit;
using Xunit.Abstractions;
using RegistryContents = ChatPlatform.Testing.Registry;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// Presence outlives a crash of the broker: its bus reconnects by itself once the broker is
/// back on the same port, and registrations are answered again. Crashes and restarts a broker of
/// its own; the registry is in the shared Redis.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RabbitMqRestartTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Presence_reconnects_after_the_broker_restarts_and_answers_registrations_again()
    {
        await using var rabbitMq = await RabbitMqServer.StartAsync($"{Names.Unique("restart")}-rabbitmq");
        await using var presence = await PresenceHost.StartAsync(servers.Redis, rabbitMq, Names.Unique("restart"));
        using var redis = await servers.Redis.ConnectAsync();
        var gateway = Names.Unique("gw");
        var instance = Guid.CreateVersion7().ToString("N");

        // A gateway bus that lives through the outage, as a running gateway's does.
        await using var survivor = await GatewayBus.StartAsync(rabbitMq);
        Assert.True((await survivor.RegisterAsync(new RegisterConnection(gateway, instance, Names.Unique("conn"), "a", 1))).Accepted);

        await rabbitMq.KillAsync();
        await Eventually.HoldsAsync(
            () => Task.FromResult(!IsListening(rabbitMq.Port)),
            TimeSpan.FromSeconds(10),
            "the killed broker stops listening");
        var lost = await Eventually.HoldsAsync(
            () => Task.FromResult(!presence.BusIsHealthy),
            TimeSpan.FromSeconds(30),
            "presence's bus notices the broker is gone");
        output.WriteLine($"Presence's bus reported unhealthy {lost.TotalSeconds:F2} s after the broker was killed");
        await rabbitMq.StartAsync();

        var sinceBrokerUp = Stopwatch.StartNew();
        var healthy = await presence.WaitUntilBusHealthyAsync(RecoveryLimit);
        output.WriteLine($"Presence's bus healthy again {healthy.TotalSeconds:F2} s after the broker listened again");

        // A gateway bus started after the restart, so what is measured is presence's recovery.
        await using var fresh = await GatewayBus.StartAsync(rabbitMq);
        var connection = Names.Unique("conn");
        var (response, attempts) = await RegisterUntilAnsweredAsync(
            fresh, new RegisterConnection(gateway, instance, connection, "b", 1), RecoveryLimit - sinceBrokerUp.Elapsed);
        output.WriteLine($"Registration answered {sinceBrokerUp.Elapsed.TotalSeconds:F2} s after the broker listened again ({attempts} attempt(s); presence log: {presence.LogPath})");
        Assert.True(response.Accepted);
        Assert.True(await RegistryContents.ContainsAsync(redis, gateway, connection));

        // The gateway bus that saw the broker die recovers too.
        var survivorWatch = Stopwatch.StartNew();
        var survivorHealthy = await Eventually.HoldsAsync(
            () => Task.FromResult(survivor.IsHealthy), TimeSpan.FromSeconds(30), "the surviving gateway bus is healthy again");
        output.WriteLine($"The surviving gateway bus was healthy {survivorHealthy.TotalSeconds:F2} s later");
        var survivorConnection = Names.Unique("conn");
        var (survivorResponse, survivorAttempts) = await RegisterUntilAnsweredAsync(
            survivor, new RegisterConnection(gateway, instance, survivorConnection, "c", 1), TimeSpan.FromSeconds(30));
        output.WriteLine($"The surviving gateway bus was answered after {survivorWatch.Elapsed.TotalSeconds:F2} s more ({survivorAttempts} attempt(s))");
        Assert.True(survivorResponse.Accepted);
        Assert.True(await RegistryContents.ContainsAsync(redis, gateway, survivorConnection));
    }

    /// <summary>Repeats the request (it is idempotent) until it is answered or <paramref name="limit"/> has passed.</summary>
    private async Task<(ConnectionRegistered Response, int Attempts)> RegisterUntilAnsweredAsync(GatewayBus bus, RegisterConnection request, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await bus.RegisterAsync(request, AttemptTimeout), attempt);
            }
            catch (Exception exception) when (exception is RequestTimeoutException or RequestException && watch.Elapsed < limit)
            {
                output.WriteLine($"Attempt {attempt} failed after {watch.Elapsed.TotalSeconds:F2} s: {exception.GetType().Name}: {exception.Message}");
                await Task.Delay(500);
            }
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
