using System.Text.Json;
using ChatPlatform.EndToEnd.Tests.Rooms;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Limits;

[Collection(StackCollection.Name)]
public sealed class SlowConsumerTests(StackFixture fixture, ITestOutputHelper output)
{
    private const int Messages = 3000;
    private const int BodyBytes = 4096;

    /// <summary>
    /// The stalled client's queue holds at most 1,024 frames of about 4 KiB; the rest of what
    /// the gateway holds for it is socket buffers. Anything near this would be a leak.
    /// </summary>
    private const long MemoryGrowthBound = 256L * 1024 * 1024;

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_and_nobody_else_waits_for_it()
    {
        var room = Names.Unique("busy");
        var sender = await fixture.Stack.ConnectAsync(0, Names.Unique("sender"), ignoredTypes: ["joined", "left"]);
        var members = new List<TestClient>();
        for (var i = 0; i < 4; i++)
        {
            members.Add(await fixture.Stack.ConnectAsync(i % 2, Names.Unique("reader"), ignoredTypes: ["joined", "left"]));
        }

        var stalledUser = Names.Unique("stalled");
        using var stalled = await RawWebSocket.ConnectAsync(fixture.Stack.GatewayUri(1, stalledUser));
        try
        {
            await RoomTests.JoinAsync(sender, room);
            foreach (var member in members)
            {
                await RoomTests.JoinAsync(member, room);
            }

            // The same traffic first without the stalled client, for comparison.
            var baseline = await SendAndReceiveAsync(sender, members, room, Messages, 0);

            await stalled.SendTextAsync($$"""{"type":"join","id":"j","room":"{{room}}"}""");
            await Eventually.HoldsAsync(async () => (await UsersAsync(sender, room)).Contains(stalledUser), TimeSpan.FromSeconds(10), "the stalled client joined");

            var gateway = fixture.Stack.Gateways[1].Process.Id;
            var memoryBefore = ProcessMemory.ResidentBytes(gateway);
            using var sampling = new CancellationTokenSource();
            var peakMemory = SamplePeakAsync(gateway, sampling.Token);

            // Every reader gets every message, in order, however stuck the stalled one is.
            var latencies = await SendAndReceiveAsync(sender, members, room, Messages, Messages);

            // The stalled client is dropped (its queue overflowed: 1008) and leaves the room.
            var dropped = await Eventually.HoldsAsync(async () => !(await UsersAsync(sender, room)).Contains(stalledUser), TimeSpan.FromSeconds(15), "the stalled client left the room");
            sampling.Cancel();
            var peak = await peakMemory;
            output.WriteLine($"{Messages} messages of {BodyBytes} B to {members.Count} readers, then the same with 1 stalled client too");
            output.WriteLine($"stalled client out of the room {dropped.TotalMilliseconds:0} ms after the last send");
            output.WriteLine($"gateway memory: {memoryBefore / 1048576} MiB before, {peak / 1048576} MiB at peak");
            output.WriteLine($"readers' latency (arrival - ts), without the stalled client: p50 {Percentile(baseline, 0.5)} ms, p99 {Percentile(baseline, 0.99)} ms");
            output.WriteLine($"readers' latency (arrival - ts), with the stalled client:    p50 {Percentile(latencies, 0.5)} ms, p99 {Percentile(latencies, 0.99)} ms");
            Assert.InRange(peak - memoryBefore, long.MinValue, MemoryGrowthBound);
        }
        finally
        {
            await sender.DisposeAsync();
            await Task.WhenAll(members.Select(member => member.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Sends <paramref name="count"/> messages to the room and reads them on every member, checking order; returns each one's latency.</summary>
    private static async Task<List<long>> SendAndReceiveAsync(TestClient sender, List<TestClient> members, string room, int count, int first)
    {
        var body = new string('x', BodyBytes);
        for (var i = first; i < first + count; i++)
        {
            await sender.SendAsync(new { type = "send", id = $"s{i}", to = new { room }, body = new { i, body } });
        }

        var latencies = new List<long>();
        foreach (var member in members)
        {
            for (var i = first; i < first + count; i++)
            {
                var (message, arrivedAt) = await member.ExpectArrivalAsync(frame => frame.GetProperty("type").GetString() == "message", "a message", TimeSpan.FromSeconds(30));
                Assert.Equal(i, message.GetProperty("body").GetProperty("i").GetInt32());
                latencies.Add(arrivedAt - message.GetProperty("ts").GetInt64());
            }
        }

        return latencies;
    }

    private static async Task<long> SamplePeakAsync(int processId, CancellationToken stop)
    {
        var peak = ProcessMemory.ResidentBytes(processId);
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, ProcessMemory.ResidentBytes(processId));
            await Task.Delay(50, CancellationToken.None);
        }

        return Math.Max(peak, ProcessMemory.ResidentBytes(processId));
    }

    private static async Task<List<string>> UsersAsync(TestClient asker, string room)
    {
        var id = Guid.NewGuid().ToString("N");
        await asker.SendAsync(new { type = "presence", id, room });
        var answer = await asker.ExpectAsync(frame => frame.TryGetProperty("id", out var echoed) && echoed.ValueKind == JsonValueKind.String && echoed.GetString() == id, "the answer");
        return [.. answer.GetProperty("users").EnumerateArray().Select(user => user.GetString()!)];
    }

    private static long Percentile(List<long> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(quantile * sorted.Count))];
    }
}
