using ChatPlatform.Testing;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// Every test class shares one Redis and one RabbitMQ, and runs one at a time: some tests flush
/// Redis. The restart tests restart servers of their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}
