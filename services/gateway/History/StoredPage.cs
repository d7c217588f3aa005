using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.History;

/// <summary>Messages read from a stream, with the stream's epoch and last offset when they were read (empty and 0: no stream).</summary>
internal sealed record StoredPage(string Epoch, long LastOffset, IReadOnlyList<Delivery> Messages);
