using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Messaging;

[Collection(StackCollection.Name)]
public sealed class OrderingTests(StackFixture fixture)
{
    [Fact]
    public async Task A_burst_from_one_connection_arrives_in_order_on_every_recipient_connection()
    {
        const int Count = 500;
        var bobName = Names.Unique("bob");
        await using var alice = await fixture.Stack.ConnectAsync(0, Names.Unique("alice"));
        await using var bobHere = await fixture.Stack.ConnectAsync(0, bobName);
        await using var bobThere = await fixture.Stack.ConnectAsync(1, bobName);

        // Sent back to back, without waiting for acks.
        for (var i = 0; i < Count; i++)
        {
            await alice.SendAsync(new { type = "send", id = $"b{i}", to = new { user = bobName }, body = i });
        }

        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(2, (await alice.ReplyToAsync($"b{i}")).GetProperty("recipients").GetInt32());
        }

        foreach (var bob in new[] { bobHere, bobThere })
        {
            for (var i = 0; i < Count; i++)
            {
                var message = await bob.ExpectAsync("message");
                Assert.Equal(i, message.GetProperty("body").GetInt32());
            }
        }
    }
}
