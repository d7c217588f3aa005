using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.History;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>Streams held in memory, read the way the Redis reader reads them.</summary>
internal sealed class InMemoryHistoryReader : IHistoryReader
{
    private readonly Dictionary<string, (string Epoch, List<Delivery> Messages)> _streams = new(StringComparer.Ordinal);

    public bool Fail { get; set; }

    public void Append(string stream, string epoch, Delivery message)
    {
        if (!_streams.TryGetValue(stream, out var entry))
        {
            _streams[stream] = entry = (epoch, []);
        }

        entry.Messages.Add(message with { Position = new HistoryPosition(stream, entry.Epoch, entry.Messages.Count + 1) });
    }

    public Task<StoredPage> ReadAfterAsync(string stream, long after, int count) => Read(stream, messages =>
        messages.Where(message => message.Position!.Value.Offset > after).Take(count));

    public Task<StoredPage> ReadBeforeAsync(string stream, long? before, int count) => Read(stream, messages =>
        messages.Where(message => before is null || message.Position!.Value.Offset < before).TakeLast(count));

    private Task<StoredPage> Read(string stream, Func<List<Delivery>, IEnumerable<Delivery>> select)
    {
        if (Fail)
        {
            return Task.FromException<StoredPage>(new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect, StackExchange.Redis.CommandFlags.None, "down", null, StackExchange.Redis.CommandStatus.Unknown));
        }

        return Task.FromResult(_streams.TryGetValue(stream, out var entry)
            ? new StoredPage(entry.Epoch, entry.Messages.Count, [.. select(entry.Messages)])
            : new StoredPage("", 0, []));
    }
}
