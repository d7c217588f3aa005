namespace ChatPlatform.EndToEnd.Tests;

/// <summary>
/// A stack of its own for tests that stop and kill services, with two presence replicas; each
/// test restores what it broke.
/// </summary>
public sealed class DisruptionFixture() : ChatStackFixture("dis", presences: 2);

[CollectionDefinition(Name)]
public sealed class DisruptionCollection : ICollectionFixture<DisruptionFixture>
{
    public const string Name = "disruption";
}
