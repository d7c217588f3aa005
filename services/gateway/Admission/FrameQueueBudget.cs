namespace ChatPlatform.Gateway.Admission;

/// <summary>Bytes of one connection's frames waiting to be handled, against a cap.</summary>
internal sealed class FrameQueueBudget(int maxBytes)
{
    private int _bytes;

    public bool TryTake(int bytes)
    {
        if (Interlocked.Add(ref _bytes, bytes) <= maxBytes)
        {
            return true;
        }

        Interlocked.Add(ref _bytes, -bytes);
        return false;
    }

    public void Return(int bytes) => Interlocked.Add(ref _bytes, -bytes);
}
