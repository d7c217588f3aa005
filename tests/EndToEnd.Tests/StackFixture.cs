using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests;

/// <summary>
/// The platform as the local stack runs it: presence, two routers, two gateways, default
/// settings but for sending to everyone turned on, and a rate limit and handling queue large
/// enough for bursts of test traffic (thousands of frames back to back), exporting telemetry to
/// a collector the tests can read. The server API takes 50 requests a second per key (burst 100)
/// and a second key, so a flood of one key is quick to provoke and leaves the other alone.
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
            [$"Api__Keys__{FloodKeyName}"] = FloodKey,
            ["Api__RequestsPerSecond"] = "50",
            ["Api__Burst"] = "100",
        }) => Telemetry = telemetry;

    /// <summary>A second server API key, for the test that exhausts its rate limit without touching the shared key's.</summary>
    public const string FloodKeyName = "flood";

    public const string FloodKey = "flood-api-key-0123456789abcdefghijklmnop";

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
