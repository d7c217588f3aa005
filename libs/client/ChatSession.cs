namespace ChatPlatform.Client;

/// <summary>What a gateway's <c>welcome</c> said about one connection.</summary>
/// <param name="ConnectionId">The connection's id, unique across the cluster (16 lowercase hex characters).</param>
/// <param name="User">The user the gateway took the connection to be.</param>
/// <param name="Gateway">The id of the gateway that holds the connection.</param>
/// <param name="Url">The address the client connected to.</param>
public sealed record ChatSession(string ConnectionId, string User, string Gateway, Uri Url);
