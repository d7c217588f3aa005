using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Router.History;
using ChatPlatform.Router.Routing;
using ChatPlatform.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Router.Tests.History;

/// <summary>
/// The append script in a real Redis, through <see cref="RedisDeliveryPublisher"/>: offsets,
/// epochs, the length cap, the time to live, the resumable marker, and that what is published is
/// byte for byte what is stored.
/// </summary>
public sealed class AppendScriptTests : IAsyncLifetime
{
    private static readonly byte[] Body = """{"text":"hi"}"""u8.ToArray();

    private readonly string _stream = HistoryStreams.OfRoom(Names.Unique("room"));
    private ConnectionMultiplexer _redis = null!;
    private RedisDeliveryPublisher _publisher = null!;

    private IDatabase Database => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        _redis = await (await SharedServers.RedisAsync()).ConnectAsync();
        _publisher = new RedisDeliveryPublisher(_redis, Options.Create(new HistoryOptions { MaxLength = 5, Ttl = TimeSpan.FromMinutes(10) }));
    }

    public Task DisposeAsync()
    {
        _redis.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Offsets_count_up_from_one_in_one_epoch()
    {
        var first = await AppendAsync("m1");
        var second = await AppendAsync("m2");

        Assert.Equal((1L, 2L), (first!.Offset, second!.Offset));
        Assert.Equal(first.Epoch, second.Epoch);
        Assert.NotEmpty(first.Epoch);
    }

    [Fact]
    public async Task What_is_published_is_exactly_what_is_stored_with_its_position()
    {
        var gateway = Names.Unique("gw");
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisNames.GatewayChannel(gateway)), (_, value) => received.TrySetResult((byte[])value!));

        var stored = await _publisher.PublishStoredAsync(_stream, null, [gateway], Prefix("m1"));

        Assert.Equal([1L], stored!.Receivers);
        var published = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var entry = Assert.Single(await Database.StreamRangeAsync(RedisNames.HistoryLog(_stream)));
        Assert.Equal("1-0", entry.Id.ToString());
        Assert.Equal(published, (byte[])entry["d"]!);
        var delivery = DataPlaneCodec.DecodeDelivery(published);
        Assert.Equal(new HistoryPosition(_stream, stored.Epoch, 1), delivery.Position);
        Assert.Equal(Body, delivery.Body.ToArray());
    }

    [Fact]
    public async Task The_stream_keeps_exactly_its_last_max_length_messages()
    {
        for (var i = 1; i <= 8; i++)
        {
            await AppendAsync($"m{i}");
        }

        var entries = await Database.StreamRangeAsync(RedisNames.HistoryLog(_stream));
        Assert.Equal(["4-0", "5-0", "6-0", "7-0", "8-0"], entries.Select(entry => entry.Id.ToString()));
    }

    [Fact]
    public async Task Both_keys_expire_the_time_to_live_after_the_last_message()
    {
        await AppendAsync("m1");

        foreach (var key in new RedisKey[] { RedisNames.HistoryLog(_stream), RedisNames.HistoryMeta(_stream) })
        {
            var ttl = await Database.KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        }
    }

    [Fact]
    public async Task A_lost_stream_starts_again_with_a_new_epoch_and_drops_what_was_left_of_the_old_one()
    {
        var old = await AppendAsync("m1");
        await AppendAsync("m2");
        await Database.KeyDeleteAsync(RedisNames.HistoryMeta(_stream));

        var fresh = await AppendAsync("m3");

        Assert.NotEqual(old!.Epoch, fresh!.Epoch);
        Assert.Equal(1, fresh.Offset);
        var entry = Assert.Single(await Database.StreamRangeAsync(RedisNames.HistoryLog(_stream)));
        Assert.Equal("m3", DataPlaneCodec.DecodeDelivery((byte[])entry["d"]!).MessageId);
    }

    [Fact]
    public async Task A_user_with_no_live_connection_is_stored_only_while_marked_resumable()
    {
        var user = Names.Unique("carol");
        var stream = HistoryStreams.OfUser(user);

        Assert.Null(await _publisher.PublishStoredAsync(stream, user, [], Prefix("m1", stream)));
        Assert.False(await Database.KeyExistsAsync(RedisNames.HistoryLog(stream)));

        await Database.StringSetAsync(RedisNames.Resumable(user), "1", TimeSpan.FromMinutes(1));
        var stored = await _publisher.PublishStoredAsync(stream, user, [], Prefix("m2", stream));

        Assert.Equal(1, stored!.Offset);
        Assert.Empty(stored.Receivers);
    }

    private Task<StoredPublish?> AppendAsync(string messageId) =>
        _publisher.PublishStoredAsync(_stream, null, [], Prefix(messageId));

    private byte[] Prefix(string messageId, string? stream = null) => DataPlaneCodec.EncodeStoredPrefix(
        new Delivery(messageId, 1_700_000_000_123, "alice", "c-alice", MessageTarget.Room("lobby"), Body, null),
        stream ?? _stream);
}
