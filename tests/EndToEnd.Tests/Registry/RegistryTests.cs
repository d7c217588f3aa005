using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Registry;

[Collection(StackCollection.Name)]
public sealed class RegistryTests(StackFixture fixture)
{
    /// <summary>A closed connection's entry goes as soon as presence handles the event; well under this.</summary>
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_welcomed_connection_is_in_the_registry_under_its_gateway()
    {
        await using var bob = await fixture.Stack.ConnectAsync(1, Names.Unique("bob"));

        Assert.True(await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", bob.ConnectionId));
    }

    [Fact]
    public async Task Closing_a_connection_removes_it_from_the_registry()
    {
        await using var alice = await fixture.Stack.ConnectAsync(0, Names.Unique("alice"));
        var bob = await fixture.Stack.ConnectAsync(1, Names.Unique("bob"));

        await bob.CloseAsync();

        await Eventually.HoldsAsync(
            async () => !await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", bob.ConnectionId),
            CloseBound,
            "the closed connection left the registry");
        // Not offline: bob can still resume his session, so the message is stored for him.
        var reply = await alice.SendAndWaitAsync(new { user = bob.User }, "are you there?");
        Assert.Equal(("ack", 0, true), (reply.GetProperty("type").GetString(), reply.GetProperty("recipients").GetInt32(), reply.GetProperty("stored").GetBoolean()));
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_dropped_without_a_close_handshake_leaves_the_registry()
    {
        var bob = await fixture.Stack.ConnectAsync(1, Names.Unique("bob"));

        bob.Abort();

        await Eventually.HoldsAsync(
            async () => !await Testing.Registry.ContainsAsync(fixture.Redis, "gateway-2", bob.ConnectionId),
            CloseBound,
            "the dropped connection left the registry");
        await bob.DisposeAsync();
    }
}
