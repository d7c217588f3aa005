using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests;

/// <summary>
/// The platform as the local stack runs it: presence, two routers, two gateways, default
/// settings but for sending to everyone turned on, and a rate limit and handling queue large
/// enough for bursts of test traffic (thousands of frames back to back), exporting telemetry to
/// a collector the tests can read.
/// </summary>
public sealed class StackFixture : ChatStackFixture
{
    public StackFixture()
        : this(new OtlpCollector())
    {
    }

    private StackFixture(OtlpCollector telemetry)
        : base("e2e", new Dictionary<string, string?>(telemetry.Settings)
        {
            ["Gateway__AllowBroadcast"] = "true",
            ["Gateway__RateLimit__FramesPerSecond"] = "100000",
            ["Gateway__RateLimit__Burst"] = "100000",
            ["Gateway__MaxPendingFrames"] = "100000",
            ["Gateway__MaxPendingBytes"] = "1073741824",
        }) => Telemetry = telemetry;

    public OtlpCollector Telemetry { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Telemetry.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
