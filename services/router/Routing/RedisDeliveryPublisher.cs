using System.Collections.Concurrent;
using System.Globalization;
using ChatPlatform.Contracts;
using ChatPlatform.Router.History;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Router.Routing;

/// <summary>Publishes on <see cref="RedisNames.GatewayChannel"/>; each gateway's channel name is built once.</summary>
internal sealed class RedisDeliveryPublisher(IConnectionMultiplexer redis, IOptions<HistoryOptions> history) : IDeliveryPublisher
{
    private readonly ISubscriber _subscriber = redis.GetSubscriber();
    private readonly IDatabase _database = redis.GetDatabase();
    private readonly ConcurrentDictionary<string, RedisChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RedisValue> _channelNames = new(StringComparer.Ordinal);
    private readonly RedisValue _maxLength = history.Value.MaxLength;
    private readonly RedisValue _ttl = ((long)history.Value.Ttl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    public Task<long> PublishAsync(string gatewayId, byte[] payload) =>
        _subscriber.PublishAsync(ChannelOf(gatewayId), payload);

    public void Answer(string gatewayId, byte[] payload) =>
        _subscriber.Publish(ChannelOf(gatewayId), payload, CommandFlags.FireAndForget);

    public async Task<StoredPublish?> PublishStoredAsync(string stream, string? resumableUser, IReadOnlyList<string> gatewayIds, byte[] prefix)
    {
        var arguments = new RedisValue[4 + gatewayIds.Count];
        arguments[0] = prefix;
        arguments[1] = _maxLength;
        arguments[2] = _ttl;
        arguments[3] = resumableUser is null ? "0" : "1";
        for (var i = 0; i < gatewayIds.Count; i++)
        {
            arguments[4 + i] = ChannelNameOf(gatewayIds[i]);
        }

        RedisKey[] keys = [RedisNames.HistoryMeta(stream), RedisNames.HistoryLog(stream), resumableUser is null ? RedisNames.ResumablePrefix : RedisNames.Resumable(resumableUser)];
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(AppendScript.Source, keys, arguments))!;
        if (result.Length == 0)
        {
            return null;
        }

        var receivers = new long[result.Length - 2];
        for (var i = 0; i < receivers.Length; i++)
        {
            receivers[i] = (long)result[i + 2];
        }

        return new StoredPublish((string)result[0]!, (long)result[1], receivers);
    }

    /// <summary>The same channel as a script argument; built once per gateway, not per message.</summary>
    private RedisValue ChannelNameOf(string gatewayId) =>
        _channelNames.GetOrAdd(gatewayId, static id => RedisNames.GatewayChannel(id));

    private RedisChannel ChannelOf(string gatewayId) =>
        _channels.GetOrAdd(gatewayId, static id => RedisChannel.Literal(RedisNames.GatewayChannel(id)));
}
