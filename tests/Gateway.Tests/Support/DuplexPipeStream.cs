using System.Buffers;
using System.IO.Pipelines;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>
/// One end of an in-memory connection: reads what the other end wrote, writes what it reads.
/// A write blocks while the other end has not read enough (the pipe's pause threshold), the way
/// a socket does when its peer stops reading.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await input.ReadAsync(cancellationToken);
        var data = result.Buffer;
        var count = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        input.AdvanceTo(data.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Like a socket: a write whose token is already cancelled sends nothing.
        cancellationToken.ThrowIfCancellationRequested();
        var result = await output.WriteAsync(buffer, cancellationToken);
        if (result.IsCompleted)
        {
            // The other end is gone: fail like a reset socket instead of dropping bytes silently.
            throw new IOException("The other end of the in-memory connection is closed.");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Ends what this side sends: the other end reads end of stream, as after a dropped connection.</summary>
    public void CompleteOutput() => output.Complete();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            output.Complete();
            input.Complete();
        }

        base.Dispose(disposing);
    }
}
