namespace ChatPlatform.Gateway.Protocol;

/// <summary><c>{"type":"history","id":..,"room":"lobby","limit":50,"before":120}</c>, or <c>"user":true</c> for the caller's own direct messages.</summary>
/// <param name="Room">The room whose stream to read; null for the caller's own stream.</param>
/// <param name="Before">Only messages with a smaller offset; null for the newest.</param>
internal sealed record HistoryCommand(byte[]? RequestId, string? Room, int Limit, long? Before) : ClientCommand(RequestId)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
}
