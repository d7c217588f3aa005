using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests;

/// <summary>
/// The platform as the local stack runs it: presence, two routers, two gateways, default
/// settings but for sending to everyone turned on and a rate limit high enough for bursts of
/// test traffic, exporting telemetry to a collector the tests can read.
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
