namespace ChatPlatform.EndToEnd.Tests;

/// <summary>
/// A stack of its own for tests that stop and kill services, Redis and RabbitMQ included (it has
/// servers of its own), with two presence replicas; each test restores what it broke. It runs the default limits (rate, sending to everyone off)
/// but for a small connection limit and a short keepalive, so tests reach them quickly.
/// </summary>
public sealed class DisruptionFixture() : ChatStackFixture("dis", Settings, presences: 2, ownServers: true)
{
    public const int MaxConnections = 100;
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Gateway__MaxConnections"] = MaxConnections.ToString(),
        ["Gateway__KeepAliveInterval"] = KeepAlive.ToString(),
        ["Gateway__KeepAliveTimeout"] = KeepAlive.ToString(),
        ["Logging__LogLevel__ChatPlatform"] = "Debug",
    };
}

[CollectionDefinition(Name)]
public sealed class DisruptionCollection : ICollectionFixture<DisruptionFixture>
{
    public const string Name = "disruption";
}
