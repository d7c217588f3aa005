using System.Collections.Concurrent;
using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Testing;
using Xunit.Abstractions;

namespace ChatPlatform.EndToEnd.Tests.Rooms;

[Collection(StackCollection.Name)]
public sealed class LargeRoomTests(StackFixture fixture, ITestOutputHelper output)
{
    private const int Members = 1000;
    private const int Messages = 5;

    [Fact]
    public async Task Every_member_of_a_thousand_member_room_gets_every_message_once_for_one_publish_per_gateway()
    {
        var room = Names.Unique("big");
        var members = new ConcurrentBag<TestClient>();
        try
        {
            // Half the members on each gateway; membership events are not what this test looks at.
            await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            {
                var member = await fixture.Stack.ConnectAsync(i % 2, $"m{i}-{room}", ignoredTypes: ["joined", "left"]);
                members.Add(member);
                await RoomTests.JoinAsync(member, room);
            });
            var sender = members.First();

            await using var monitor = await RedisMonitor.StartAsync(fixture.Stack.Redis);
            for (var i = 0; i < Messages; i++)
            {
                var ack = await sender.SendAndWaitAsync(new { room }, i, TimeSpan.FromSeconds(30));
                Assert.Equal(Members - 1, ack.GetProperty("recipients").GetInt32());
            }

            foreach (var member in members.Where(member => member != sender))
            {
                for (var i = 0; i < Messages; i++)
                {
                    Assert.Equal(i, (await member.ExpectAsync("message", TimeSpan.FromSeconds(30))).GetProperty("body").GetInt32());
                }

                await member.ExpectNothingAsync(frame => frame.GetProperty("type").GetString() == "message", TimeSpan.Zero);
            }

            // The router published each message once per gateway holding members, whatever the room's size.
            var deliveries = monitor.CountPublishes(RedisNames.GatewayChannelPrefix, (byte)PayloadKind.Delivery);
            output.WriteLine($"{Messages} messages to {Members} members on 2 gateways: {deliveries} delivery publishes");
            Assert.Equal(Messages * 2, deliveries);
        }
        finally
        {
            await Parallel.ForEachAsync(members, async (member, _) => await member.DisposeAsync());
        }
    }
}
