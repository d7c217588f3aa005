namespace ChatPlatform.Router.History;

/// <summary>What the append script did: where it stored the message, and how many subscribers each gateway's publish reached (in the order the gateways were given).</summary>
internal sealed record StoredPublish(string Epoch, long Offset, long[] Receivers);
