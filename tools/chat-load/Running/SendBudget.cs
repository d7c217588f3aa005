namespace ChatPlatform.Load.Running;

/// <summary>The messages all clients together may still send (<c>--messages</c>); unlimited when created with null.</summary>
internal sealed class SendBudget(long? total)
{
    private long _left = total ?? long.MaxValue;

    /// <summary>Takes one message from the budget; false once it is spent.</summary>
    public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
}
