namespace ChatPlatform.Gateway.History;

/// <summary>
/// Reads history streams. Each read takes the stream's epoch, last offset and messages at one
/// instant, so they always belong together; messages come oldest first.
/// </summary>
internal interface IHistoryReader
{
    /// <summary>Up to <paramref name="count"/> messages after offset <paramref name="after"/>.</summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store is unreachable.</exception>
    Task<StoredPage> ReadAfterAsync(string stream, long after, int count);

    /// <summary>The newest <paramref name="count"/> messages before offset <paramref name="before"/>, or the newest of all.</summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store is unreachable.</exception>
    Task<StoredPage> ReadBeforeAsync(string stream, long? before, int count);
}
