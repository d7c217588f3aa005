using ChatPlatform.Contracts.Rooms;
using ChatPlatform.Presence.Registry;
using MassTransit;

namespace ChatPlatform.Presence.Consumers;

internal sealed class LeaveRoomConsumer(IConnectionRegistry registry, PresenceMetrics metrics) : IConsumer<LeaveRoom>
{
    public async Task Consume(ConsumeContext<LeaveRoom> context)
    {
        var request = context.Message;
        await registry.LeaveAsync(request);
        metrics.MembershipChanged("left");
        await context.RespondAsync(new RoomLeft(request.ConnectionId, request.Room));
    }
}
