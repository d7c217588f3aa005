using ChatPlatform.Contracts.Rooms;
using ChatPlatform.Presence.Registry;
using MassTransit;

namespace ChatPlatform.Presence.Consumers;

internal sealed class JoinRoomConsumer(IConnectionRegistry registry, PresenceMetrics metrics) : IConsumer<JoinRoom>
{
    public async Task Consume(ConsumeContext<JoinRoom> context)
    {
        var request = context.Message;
        var joined = await registry.JoinAsync(request);
        metrics.MembershipChanged(joined ? "joined" : "refused");
        await context.RespondAsync(new RoomJoined(request.ConnectionId, request.Room, joined));
    }
}
