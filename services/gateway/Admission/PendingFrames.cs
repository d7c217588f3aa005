using System.Buffers;
using System.Threading.Channels;

namespace ChatPlatform.Gateway.Admission;

/// <summary>
/// One connection's frames that were read and admitted but not yet handled: a bounded queue of
/// copies, and the budget of bytes they may hold. Its rate limit goes with it, so everything that
/// decides whether a read frame is handled is here. One reader loop writes, one handler loop reads.
/// </summary>
internal sealed class PendingFrames(FrameRateLimit rateLimit, int maxFrames, int maxBytes)
{
    private readonly Channel<QueuedFrame> _queue = Channel.CreateBounded<QueuedFrame>(
        new BoundedChannelOptions(maxFrames) { SingleReader = true, SingleWriter = true });

    private readonly FrameQueueBudget _budget = new(maxBytes);

    public FrameRateLimit RateLimit { get; } = rateLimit;

    /// <summary>The admitted frames in the order they were read; each must be released once handled.</summary>
    public ChannelReader<QueuedFrame> Reader => _queue.Reader;

    /// <summary>Queues a copy of <paramref name="frame"/> if the queue and the byte budget have room for it.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        if (!_budget.TryTake(frame.Length))
        {
            return false;
        }

        var copy = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(copy);
        var queued = new QueuedFrame(copy, frame.Length, _budget);
        if (_queue.Writer.TryWrite(queued))
        {
            return true;
        }

        queued.Release();
        return false;
    }

    /// <summary>No more frames will be read: the handler ends once it has handled the queued ones.</summary>
    public void Complete() => _queue.Writer.TryComplete();
}
