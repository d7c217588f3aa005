namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// A backend's moderation through the server API: published like a message on the API key's
/// inbound shard; the router sends it to each gateway that holds a connection of
/// <see cref="Target"/> (a user or one connection) and answers the asker with how many it reached.
/// </summary>
/// <param name="Room">The room to remove the connections from; empty for a disconnect.</param>
/// <param name="Reason">The close reason a disconnect sends; empty otherwise.</param>
public sealed record ModerationCommand(
    string CommandId,
    string GatewayId,
    string ConnectionId,
    MessageTarget Target,
    ModerationAction Action,
    string Room,
    string Reason,
    string? TraceParent);
