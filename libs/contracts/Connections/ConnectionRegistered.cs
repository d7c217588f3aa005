namespace ChatPlatform.Contracts.Connections;

/// <summary>Response to <see cref="RegisterConnection"/>.</summary>
/// <param name="Accepted">False when the request came from a gateway instance that has been
/// replaced, or for a connection that already closed; the gateway then refuses the connection.</param>
public sealed record ConnectionRegistered(string ConnectionId, bool Accepted);
