using System.Diagnostics;
using ChatPlatform.Client.Events;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.Client.Tests.Reconnect;

/// <summary>
/// With the routers stopped a gateway holds a message for up to 10 s before it answers
/// <c>unavailable</c>: long enough to see a call time out, and a call in flight when its
/// connection drops.
/// </summary>
[Collection(ClientStackCollection.Name)]
public sealed class FailFastTests(ClientStackFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private ChatStack Stack => fixture.Stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.RestoreAsync();

    [Fact]
    public async Task Calls_time_out_and_calls_in_flight_fail_at_once_when_the_connection_drops()
    {
        var bobName = Names.Unique("bob");
        await using var bob = await fixture.ConnectAsync(1, bobName);
        await using var impatient = await fixture.ConnectAsync(0, Names.Unique("carol"), options => options.RequestTimeout = TimeSpan.FromSeconds(1));
        await using var alice = await fixture.ConnectAsync(0, Names.Unique("alice"), options =>
        {
            options.RequestTimeout = TimeSpan.FromSeconds(30);
            options.ReconnectInitialDelay = TimeSpan.FromSeconds(5);
            options.ReconnectMaxDelay = TimeSpan.FromSeconds(5);
        });
        await Task.WhenAll(Stack.Routers.Select(router => router.StopAsync(TimeSpan.FromSeconds(15))));

        var waited = Stopwatch.StartNew();
        var timedOut = await Assert.ThrowsAsync<ChatException>(() => impatient.Client.SendToUserAsync(bobName, "anyone routing?"));
        output.WriteLine($"timed out after {waited.ElapsedMilliseconds} ms");
        Assert.Equal(ChatErrorCodes.Timeout, timedOut.Code);
        Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));

        var inFlight = alice.Client.SendToUserAsync(bobName, "held by the gateway");
        await Task.Delay(500);
        Assert.False(inFlight.IsCompleted);
        var killed = Stopwatch.StartNew();
        await Stack.Gateways[0].KillAsync();
        var dropped = await Assert.ThrowsAsync<ChatException>(() => inFlight);
        output.WriteLine($"the call in flight failed {killed.ElapsedMilliseconds} ms after the kill");
        Assert.Equal(ChatErrorCodes.Disconnected, dropped.Code);
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(3), $"took {killed.Elapsed}");

        // While it waits to reconnect, a call fails at once rather than waiting.
        await alice.ExpectAsync<Reconnecting>();
        var meanwhile = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<ChatException>(() => alice.Client.GetUserPresenceAsync(bobName));
        Assert.Equal(ChatErrorCodes.Disconnected, refused.Code);
        Assert.True(meanwhile.Elapsed < TimeSpan.FromSeconds(2), $"took {meanwhile.Elapsed}");
    }
}
