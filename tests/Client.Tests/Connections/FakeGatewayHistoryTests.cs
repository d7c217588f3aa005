using System.Text.Json;
using ChatPlatform.Client.Events;
using ChatPlatform.Client.Tests.Support;

namespace ChatPlatform.Client.Tests.Connections;

/// <summary>History calls against a scripted gateway: the frames sent, and the answers read.</summary>
public sealed class FakeGatewayHistoryTests
{
    [Fact]
    public async Task A_room_history_call_sends_its_question_and_returns_the_answer_oldest_first()
    {
        var asked = new List<string>();
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            while (await connection.ReceiveAsync() is { } frame)
            {
                asked.Add(frame.GetRawText());
                var id = frame.GetProperty("id").GetString();
                var before = frame.TryGetProperty("before", out var offset) ? offset.GetInt64() : 43;
                var limit = frame.GetProperty("limit").GetInt32();
                var messages = Enumerable.Range(0, limit).Select(n => before - limit + n).Where(offset => offset >= 1).Select(offset => Stored(offset));
                await connection.SendAsync(new { type = "history", id, stream = "room:lobby", epoch = "18c3a5e1f0b2d4a1", messages });
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        var newest = await client.Client.GetRoomHistoryAsync("lobby", limit: 2);
        var older = await client.Client.GetRoomHistoryAsync("lobby", limit: 3, before: newest.Messages[0].Offset);
        var oldest = await client.Client.GetRoomHistoryAsync("lobby", before: 3);

        Assert.Equal(
            [
                """{"type":"history","id":"1","room":"lobby","limit":2}""",
                """{"type":"history","id":"2","room":"lobby","limit":3,"before":41}""",
                """{"type":"history","id":"3","room":"lobby","limit":50,"before":3}""",
            ],
            asked);
        Assert.Equal(("room:lobby", "18c3a5e1f0b2d4a1"), (newest.Stream, newest.Epoch));
        Assert.Equal([41L, 42L], newest.Messages.Select(message => message.Offset!.Value));
        Assert.Equal([38L, 39L, 40L], older.Messages.Select(message => message.Offset!.Value));
        Assert.Equal([1L, 2L], oldest.Messages.Select(message => message.Offset!.Value));
        Assert.Equal("m41", newest.Messages[0].MessageId);
        Assert.Equal(ChatTarget.Room("lobby"), newest.Messages[0].To);
        Assert.Equal("body 41", newest.Messages[0].BodyAs<string>());

        // History is read on request: nothing of it comes as an event.
        await client.ExpectNothingAsync<MessageReceived>(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_direct_history_call_asks_for_the_callers_own_stream()
    {
        JsonElement? asked = null;
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            asked = await connection.ReceiveAsync();
            var id = asked!.Value.GetProperty("id").GetString();
            await connection.SendAsync(new { type = "history", id, stream = "user:alice", epoch = "", messages = Array.Empty<object>() });
            await connection.IgnoreAllAsync();
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        var history = await client.Client.GetDirectHistoryAsync(limit: 10, before: 120);

        Assert.Equal("""{"type":"history","id":"1","user":true,"limit":10,"before":120}""", asked!.Value.GetRawText());
        Assert.Equal(("user:alice", ""), (history.Stream, history.Epoch));
        Assert.Empty(history.Messages);
    }

    [Fact]
    public async Task A_refused_history_call_throws_the_gateways_error()
    {
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            while (await connection.ReceiveAsync() is { } frame)
            {
                await connection.SendAsync(new { type = "error", id = frame.GetProperty("id").GetString(), code = "forbidden", message = "join room lobby before reading its history" });
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        var error = await Assert.ThrowsAsync<ChatException>(() => client.Client.GetRoomHistoryAsync("lobby"));

        Assert.Equal(ChatErrorCodes.Forbidden, error.Code);
        Assert.Equal("join room lobby before reading its history", error.Message);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(101, null)]
    [InlineData(50, 0L)]
    public async Task A_limit_or_offset_out_of_range_is_refused_before_anything_is_sent(int limit, long? before)
    {
        var frames = 0;
        await using var gateway = await FakeGateway.StartAsync(async connection =>
        {
            while (await connection.ReceiveAsync() is not null)
            {
                Interlocked.Increment(ref frames);
            }
        });
        await using var client = new RecordingClient(await ChatClient.ConnectAsync(Options(gateway)));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Client.GetRoomHistoryAsync("lobby", limit, before));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Client.GetDirectHistoryAsync(limit, before));
        await client.DisposeAsync();

        Assert.Equal(0, frames);
    }

    private static object Stored(long offset) => new
    {
        type = "message",
        message = $"m{offset}",
        from = new { user = "bob", connection = "b" },
        to = new { room = "lobby" },
        body = $"body {offset}",
        ts = 1_700_000_000_000 + offset,
        stream = "room:lobby",
        offset,
    };

    private static ChatClientOptions Options(FakeGateway gateway) => new() { User = "alice", Urls = { gateway.Url } };
}
