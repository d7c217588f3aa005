using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Router.Routing;

/// <summary>What answering a routed message or moderation needs: its id, and who asked it where.</summary>
internal readonly record struct RouteRequest(string Id, string GatewayId, string ConnectionId, MessageTarget Target)
{
    public static RouteRequest Of(InboundMessage message) => new(message.MessageId, message.GatewayId, message.ConnectionId, message.Target);
}
