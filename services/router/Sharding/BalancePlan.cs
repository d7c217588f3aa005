namespace ChatPlatform.Router.Sharding;

internal sealed record BalancePlan(IReadOnlyList<int> Release, IReadOnlyList<int> Acquire);
