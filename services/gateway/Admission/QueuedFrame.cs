using System.Buffers;

namespace ChatPlatform.Gateway.Admission;

/// <summary>A frame waiting to be handled, in a buffer rented from the shared pool.</summary>
internal readonly record struct QueuedFrame(byte[] Buffer, int Length, FrameQueueBudget Budget)
{
    public ReadOnlyMemory<byte> Frame => Buffer.AsMemory(0, Length);

    public void Release()
    {
        Budget.Return(Length);
        ArrayPool<byte>.Shared.Return(Buffer);
    }
}
