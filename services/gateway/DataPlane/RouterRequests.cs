using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Hands a request, a message, a presence question or a moderation, to the router that owns its
/// sender's shard, and leaves the answer to that router: the request waits in
/// <see cref="PendingRequests"/> until the router's answer or the ack timeout. When no router
/// takes it, it is answered <c>unavailable</c> at once.
/// </summary>
internal sealed class RouterRequests(
    IInboundPublisher publisher,
    PendingRequests pending,
    Acknowledgements acknowledgements,
    IOptions<ShardingOptions> sharding,
    TimeProvider time,
    ILogger<RouterRequests> logger)
{
    private readonly int _shardCount = sharding.Value.ShardCount;

    /// <summary>A new request, received now: its key, a version 7 GUID the router's answer carries, and what answering it needs.</summary>
    public (string Key, PendingRequest Request) Create(ClientConnection connection, byte[]? requestId, MessageTarget target) =>
        (Guid.CreateVersion7().ToString("N"), new PendingRequest(connection.Id, connection, null, requestId, target, time.GetTimestamp()));

    /// <summary>A new request from the server API, sent under <paramref name="senderId"/>; its answer completes <see cref="PendingRequest.Caller"/>.</summary>
    public (string Key, PendingRequest Request) CreateForCaller(string senderId, MessageTarget target) =>
        (Guid.CreateVersion7().ToString("N"), new PendingRequest(
            senderId,
            null,
            new TaskCompletionSource<RouterReply>(TaskCreationOptions.RunContinuationsAsynchronously),
            null,
            target,
            time.GetTimestamp()));

    /// <summary>
    /// Publishes on the connection's shard. Awaited before the connection's next frame is handled:
    /// a connection's frames reach the router in order.
    /// </summary>
    /// <param name="key">The message or query id, which the router's answer carries.</param>
    /// <param name="payload">The encoded message or question, carrying <paramref name="key"/>.</param>
    /// <param name="closed">Cancelled once the connection's socket has ended: then nothing waits for a router.</param>
    public async Task PublishAsync(string key, PendingRequest request, byte[] payload, CancellationToken closed)
    {
        pending.Add(key, request);
        try
        {
            if (await publisher.PublishAsync(InboundShards.Of(request.SenderId, _shardCount), payload, closed))
            {
                pending.Arm(key);
            }
            else
            {
                acknowledgements.OnNotRouted(key, "no router is available; the message was not sent");
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.PublishFailed(logger, key, exception.Message);
            acknowledgements.OnNotRouted(key, "the message bus is unavailable; the message was not sent");
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            acknowledgements.OnNotRouted(key, "the connection closed; the message was not sent");
        }
        catch
        {
            // Never armed, so it would never expire.
            pending.TryTake(key);
            throw;
        }
    }
}
