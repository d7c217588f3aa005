using System.Net.WebSockets;
using System.Runtime.InteropServices;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Connections;

public sealed class FrameReaderTests : IDisposable
{
    private const int Limit = 10_000;
    private const int InitialBufferSize = 4096;

    private readonly WebSocketPair _pair = WebSocketPair.Create();

    [Fact]
    public async Task A_text_message_is_returned_whole()
    {
        using var reader = new FrameReader(Limit);

        await SendAsync("{\"type\":\"send\"}"u8.ToArray());

        AssertText("{\"type\":\"send\"}"u8.ToArray(), await ReadAsync(reader));
    }

    [Fact]
    public async Task An_empty_text_message_is_returned_empty()
    {
        using var reader = new FrameReader(Limit);

        await SendAsync([]);

        AssertText([], await ReadAsync(reader));
    }

    [Theory]
    [InlineData(InitialBufferSize - 1)]
    [InlineData(InitialBufferSize)]
    [InlineData(InitialBufferSize + 1)]
    [InlineData(2 * InitialBufferSize)]
    [InlineData(2 * InitialBufferSize + 1)]
    [InlineData(Limit)]
    public async Task A_message_up_to_the_limit_is_returned_byte_exact(int length)
    {
        using var reader = new FrameReader(Limit);
        var message = Message(length);

        await SendAsync(message);

        AssertText(message, await ReadAsync(reader));
    }

    [Theory]
    [InlineData(Limit + 1)]
    [InlineData(2 * Limit)]
    public async Task A_message_over_the_limit_is_too_large(int length)
    {
        using var reader = new FrameReader(Limit);

        await SendAsync(Message(length));

        var result = await ReadAsync(reader);
        Assert.Equal(FrameKind.TooLarge, result.Kind);
        Assert.True(result.Frame.IsEmpty);
    }

    [Fact]
    public async Task A_limit_below_the_initial_buffer_size_is_enforced_exactly()
    {
        using var reader = new FrameReader(1024);
        var atLimit = Message(1024);

        await SendAsync(atLimit);
        AssertText(atLimit, await ReadAsync(reader));

        await SendAsync(Message(1025));
        Assert.Equal(FrameKind.TooLarge, (await ReadAsync(reader)).Kind);
    }

    [Fact]
    public async Task A_fragmented_message_is_reassembled()
    {
        using var reader = new FrameReader(Limit);
        var message = Message(7_500);

        for (var offset = 0; offset < message.Length; offset += 1_500)
        {
            await SendAsync(message[offset..(offset + 1_500)], endOfMessage: offset + 1_500 == message.Length);
        }

        AssertText(message, await ReadAsync(reader));
    }

    [Fact]
    public async Task Fragments_adding_up_to_exactly_the_limit_are_returned()
    {
        using var reader = new FrameReader(Limit);
        var message = Message(Limit);

        await SendAsync(message[..1], endOfMessage: false);
        await SendAsync(message[1..(Limit - 1)], endOfMessage: false);
        await SendAsync(message[(Limit - 1)..], endOfMessage: true);

        AssertText(message, await ReadAsync(reader));
    }

    [Fact]
    public async Task Fragments_adding_up_to_more_than_the_limit_are_too_large()
    {
        using var reader = new FrameReader(Limit);

        // Each fragment is within the limit; only their sum is not.
        for (var i = 0; i < 7; i++)
        {
            await SendAsync(Message(1_500), endOfMessage: i == 6);
        }

        Assert.Equal(FrameKind.TooLarge, (await ReadAsync(reader)).Kind);
    }

    [Fact]
    public async Task A_binary_message_is_reported_as_binary()
    {
        using var reader = new FrameReader(Limit);

        await SendAsync([1, 2, 3], WebSocketMessageType.Binary);

        var result = await ReadAsync(reader);
        Assert.Equal(FrameKind.Binary, result.Kind);
        Assert.True(result.Frame.IsEmpty);
    }

    [Fact]
    public async Task A_close_frame_is_reported_as_close()
    {
        using var reader = new FrameReader(Limit);

        await _pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        var result = await ReadAsync(reader);
        Assert.Equal(FrameKind.Close, result.Kind);
        Assert.True(result.Frame.IsEmpty);
    }

    [Fact]
    public async Task Consecutive_messages_of_different_sizes_are_each_returned_whole()
    {
        using var reader = new FrameReader(Limit);
        byte[][] messages = [Message(10), Message(Limit), Message(3), Message(5_000), Message(1)];

        foreach (var message in messages)
        {
            await SendAsync(message);
        }

        foreach (var message in messages)
        {
            AssertText(message, await ReadAsync(reader));
        }
    }

    [Fact]
    public async Task The_buffer_grows_for_a_large_message_and_shrinks_back_for_the_next()
    {
        using var reader = new FrameReader(Limit);

        await SendAsync(Message(Limit));
        await SendAsync(Message(100));

        var large = await ReadAsync(reader);
        Assert.True(MemoryMarshal.TryGetArray(large.Frame, out var largeBuffer));
        Assert.True(largeBuffer.Array!.Length >= Limit);

        var small = await ReadAsync(reader);
        Assert.True(MemoryMarshal.TryGetArray(small.Frame, out var smallBuffer));
        Assert.InRange(smallBuffer.Array!.Length, 100, InitialBufferSize);
        Assert.Equal(Message(100), small.Frame.ToArray());
    }

    [Fact]
    public async Task A_small_message_never_grows_the_buffer()
    {
        using var reader = new FrameReader(Limit);

        await SendAsync(Message(InitialBufferSize));

        var result = await ReadAsync(reader);
        Assert.True(MemoryMarshal.TryGetArray(result.Frame, out var buffer));
        Assert.Equal(InitialBufferSize, buffer.Array!.Length);
    }

    public void Dispose() => _pair.Dispose();

    // Distinct bytes at every position, so a misplaced fragment shows.
    private static byte[] Message(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];

    private static void AssertText(byte[] expected, FrameReadResult result)
    {
        Assert.Equal(FrameKind.Text, result.Kind);
        Assert.Equal(expected, result.Frame.ToArray());
    }

    private Task SendAsync(byte[] data, WebSocketMessageType type = WebSocketMessageType.Text, bool endOfMessage = true) =>
        _pair.Client.SendAsync(data, type, endOfMessage, CancellationToken.None).WaitAsync(Received.Timeout);

    private async Task<FrameReadResult> ReadAsync(FrameReader reader)
    {
        using var timeout = new CancellationTokenSource(Received.Timeout);
        return await reader.ReadAsync(_pair.Server, timeout.Token);
    }
}
