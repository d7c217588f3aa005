namespace ChatPlatform.Gateway.Api;

/// <summary>What claiming an idempotency key found: it is ours now, another request holds it, or an earlier answer to replay.</summary>
internal sealed record IdempotencyClaim(bool IsClaimed, int? Status, string? Json)
{
    public static IdempotencyClaim Claimed { get; } = new(true, null, null);

    public static IdempotencyClaim InFlight { get; } = new(false, null, null);

    public static IdempotencyClaim Replay(int status, string json) => new(false, status, json);
}
