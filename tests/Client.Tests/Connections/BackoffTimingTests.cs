using System.Net;
using System.Net.Sockets;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.Client.Tests.Connections;

/// <summary>
/// The time between reconnect attempts, measured against a port nobody listens on any more.
/// A timer never fires early, so each wait is checked from below exactly; from above only
/// loosely, because on a small shared machine a timer now and then fires most of a second late
/// (seen here: a 100 ms Task.Delay taking 850 ms). How many came late is printed, not asserted,
/// and growth is judged by medians.
/// </summary>
public sealed class BackoffTimingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(640);
    private static readonly TimeSpan Late = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Stalled = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReadLag = TimeSpan.FromMilliseconds(100);
    private const int Attempts = 20;

    [Fact]
    public async Task Attempts_against_a_dead_port_are_spaced_by_growing_jittered_delays_up_to_the_cap()
    {
        var drop = new TaskCompletionSource();
        var gateway = await FakeGateway.StartAsync(async connection =>
        {
            await drop.Task;
            connection.Abort();
        });
        var client = new RecordingClient(await ChatClient.ConnectAsync(new ChatClientOptions
        {
            User = "alice",
            Urls = { gateway.Url },
            ReconnectInitialDelay = Initial,
            ReconnectMaxDelay = Max,
        }));

        // Stop listening first, then drop the connection: no attempt can find the gateway.
        var stopping = gateway.DisposeAsync().AsTask();
        await Eventually.HoldsAsync(async () => !await IsListeningAsync(gateway.Port), TimeSpan.FromSeconds(10), "the fake gateway stops listening");
        drop.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        // Its port refuses connections: every attempt fails at once.
        await using (client)
        {
            await client.ExpectAsync<Reconnecting>(attempt => attempt.Attempt == Attempts + 1, TimeSpan.FromSeconds(30));
            Assert.Equal(ChatConnectionState.Reconnecting, client.Client.State);
        }

        var announced = client.History
            .Where(entry => entry.Event is Reconnecting)
            .Select(entry => (Attempt: (Reconnecting)entry.Event, entry.At))
            .Take(Attempts + 1)
            .ToList();
        var gaps = new List<TimeSpan>();
        for (var index = 0; index < Attempts; index++)
        {
            var (attempt, at) = announced[index];
            var ceiling = index < 5 ? Initial * (1 << index) : Max;
            var gap = announced[index + 1].At - at;
            gaps.Add(gap);
            output.WriteLine($"attempt {attempt.Attempt}: ceiling {ceiling.TotalMilliseconds:0} ms, drawn {attempt.Delay.TotalMilliseconds:0} ms, next attempt after {gap.TotalMilliseconds:0} ms");

            Assert.Equal(index + 1, attempt.Attempt);
            Assert.InRange(attempt.Delay, TimeSpan.Zero, ceiling);

            // The attempt waited its delay, then failed at once. Times are taken when the recorder
            // reads each event, which a busy machine can delay by a little; hence the margin below.
            Assert.InRange(gap, attempt.Delay - ReadLag, attempt.Delay + Stalled);
        }

        var late = announced.Take(Attempts).Zip(gaps).Count(pair => pair.Second > pair.First.Attempt.Delay + Late);

        // Capped: however many attempts, no wait past the cap (but for a stalled timer).
        Assert.All(gaps, gap => Assert.True(gap < Max + Stalled, $"waited {gap.TotalMilliseconds:0} ms"));

        // Growing: the first three attempts (ceilings 20, 40, 80 ms) wait far less than the
        // capped ones (ceiling 640 ms, 320 ms typical).
        var early = Median(gaps.Take(3));
        var capped = Median(gaps.Skip(5));
        output.WriteLine($"median gap: first three {early:0} ms, capped {capped:0} ms; {late} late by over {Late.TotalMilliseconds} ms");
        Assert.True(capped > early + 60, $"first three {early:0} ms, capped {capped:0} ms");

        // Jittered: the capped delays are spread over their range, not one fixed value.
        var cappedDelays = announced.Skip(5).Take(Attempts - 5).Select(entry => entry.Attempt.Delay.TotalMilliseconds).ToList();
        Assert.True(cappedDelays.Max() - cappedDelays.Min() > Max.TotalMilliseconds / 4, $"capped delays: {string.Join(", ", cappedDelays.Select(d => d.ToString("0")))}");
    }

    private static double Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(value => value.TotalMilliseconds).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
