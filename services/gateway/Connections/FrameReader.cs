using System.Buffers;
using System.Net.WebSockets;

namespace ChatPlatform.Gateway.Connections;

/// <summary>
/// Reassembles a connection's incoming WebSocket messages into one buffer, up to a limit. The
/// buffer is rented from the pool only once a message has begun to arrive, and given back
/// before waiting for the next one, so an idle connection holds none; it starts small and grows
/// only for large messages.
/// </summary>
internal sealed class FrameReader(int maxFrameBytes) : IDisposable
{
    private const int InitialSize = 4096;

    private byte[] _buffer = [];

    /// <summary>
    /// Reads the next message. The frame returned is valid until the next call, which reuses its
    /// memory.
    /// </summary>
    public async ValueTask<FrameReadResult> ReadAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        Release();

        // A zero-byte read waits for the next message without a buffer to read it into.
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        switch (first.MessageType)
        {
            case WebSocketMessageType.Close:
                return new FrameReadResult(FrameKind.Close, default);
            case WebSocketMessageType.Binary:
                return new FrameReadResult(FrameKind.Binary, default);
        }

        if (first.EndOfMessage)
        {
            return new FrameReadResult(FrameKind.Text, ReadOnlyMemory<byte>.Empty);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Resize(Math.Min(_buffer.Length * 2, maxFrameBytes + 1), copy: length);
            }

            // Never read more than one byte past the limit: that byte proves the message too large.
            var room = Math.Min(_buffer.Length, maxFrameBytes + 1) - length;
            var result = await socket.ReceiveAsync(_buffer.AsMemory(length, room), cancellationToken);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    return new FrameReadResult(FrameKind.Close, default);
                case WebSocketMessageType.Binary:
                    return new FrameReadResult(FrameKind.Binary, default);
            }

            length += result.Count;
            if (length > maxFrameBytes)
            {
                return new FrameReadResult(FrameKind.TooLarge, default);
            }

            if (result.EndOfMessage)
            {
                return new FrameReadResult(FrameKind.Text, _buffer.AsMemory(0, length));
            }
        }
    }

    public void Dispose() => Release();

    private void Release()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Resize(int size, int copy)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, copy).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
