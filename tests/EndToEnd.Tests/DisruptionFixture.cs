namespace ChatPlatform.EndToEnd.Tests;

/// <summary>A stack of its own for tests that stop and kill services; each test restores what it broke.</summary>
public sealed class DisruptionFixture() : ChatStackFixture("dis");

[CollectionDefinition(Name)]
public sealed class DisruptionCollection : ICollectionFixture<DisruptionFixture>
{
    public const string Name = "disruption";
}
