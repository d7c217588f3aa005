using ChatPlatform.Contracts;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.ServiceDefaults;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// Acts on one frame from a client: every frame gets exactly one answer, now or later. Frames
/// of one connection are handled one at a time, in order, after <see cref="FrameAdmission"/>
/// let them in.
/// </summary>
internal sealed class ClientCommandHandler(
    GatewayIdentity identity,
    LocalConnections connections,
    IPresenceClient presence,
    IRegistrySync registry,
    IInboundPublisher publisher,
    PendingRequests pending,
    Acknowledgements acknowledgements,
    IOptions<GatewayOptions> options,
    IOptions<AuthOptions> auth,
    IOptions<ShardingOptions> sharding,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<ClientCommandHandler> logger)
{
    private readonly int _shardCount = sharding.Value.ShardCount;
    private const string PrivatePrefix = "private:";

    private readonly GatewayOptions _options = options.Value;
    private readonly string _adminRole = auth.Value.Jwt.AdminRole;

    /// <param name="frame">Valid only until this returns.</param>
    /// <param name="closed">
    /// Cancelled once the connection's socket has ended: a frame read before that is still acted
    /// on, but without waiting for a router or presence on behalf of a client that is gone.
    /// </param>
    public async Task HandleAsync(ClientConnection connection, ReadOnlyMemory<byte> frame, CancellationToken closed = default)
    {
        if (!ClientFrameParser.TryParse(frame, out var command, out var error))
        {
            Reject(connection, error);
            return;
        }

        switch (command)
        {
            case SendCommand send:
                await SendAsync(connection, send, closed);
                break;
            case JoinCommand join:
                await JoinAsync(connection, join, closed);
                break;
            case LeaveCommand leave:
                await LeaveAsync(connection, leave, closed);
                break;
            case PresenceCommand query:
                await AskAsync(connection, query, closed);
                break;
        }
    }

    private async Task SendAsync(ClientConnection connection, SendCommand send, CancellationToken closed)
    {
        if (send.Target.Kind == TargetKind.Room && !connections.IsMember(connection, send.Target.Value))
        {
            Reject(connection, new ProtocolError(send.RequestId, ErrorCodes.Forbidden, $"join room {send.Target.Value} before sending to it"));
            return;
        }

        if (send.Target.Kind == TargetKind.Everyone && !_options.AllowBroadcast)
        {
            Reject(connection, new ProtocolError(send.RequestId, ErrorCodes.Forbidden, "sending to everyone is turned off on this server"));
            return;
        }

        if (send.Target.Kind == TargetKind.Everyone && connection.Grants.Authenticated && !connection.Grants.Roles.Contains(_adminRole))
        {
            Reject(connection, new ProtocolError(send.RequestId, ErrorCodes.Forbidden, $"sending to everyone needs the '{_adminRole}' role"));
            return;
        }

        var receivedAt = time.GetTimestamp();
        var messageId = Guid.CreateVersion7().ToString("N");
        using var activity = GatewayTelemetry.StartSend(messageId, send.Target);

        // Encoding copies the body out of the receive buffer before anything is awaited.
        var payload = DataPlaneCodec.Encode(new InboundMessage(
            messageId,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            identity.Id,
            connection.Id,
            connection.UserId,
            send.Target,
            send.Body,
            activity?.Id));
        await PublishAsync(connection, messageId, payload, new PendingRequest(connection, send.RequestId, send.Target, receivedAt), closed);
    }

    private async Task AskAsync(ClientConnection connection, PresenceCommand query, CancellationToken closed)
    {
        if (query.Target.Kind == TargetKind.Room && !MayEnter(connection, query.Target.Value))
        {
            Reject(connection, new ProtocolError(query.RequestId, ErrorCodes.Forbidden, PrivateRoom(query.Target.Value)));
            return;
        }

        var receivedAt = time.GetTimestamp();
        var queryId = Guid.CreateVersion7().ToString("N");
        using var activity = GatewayTelemetry.StartPresence(query.Target);
        var payload = DataPlaneCodec.Encode(new PresenceQuery(queryId, identity.Id, connection.Id, query.Target, activity?.Id));
        await PublishAsync(connection, queryId, payload, new PendingRequest(connection, query.RequestId, query.Target, receivedAt), closed);
    }

    /// <summary>
    /// Publishes on the connection's shard and leaves the answer to the router. Awaited before
    /// the next frame is handled: a connection's frames reach the router in order.
    /// </summary>
    private async Task PublishAsync(ClientConnection connection, string key, byte[] payload, PendingRequest request, CancellationToken closed)
    {
        pending.Add(key, request);
        try
        {
            if (await publisher.PublishAsync(InboundShards.Of(connection.Id, _shardCount), payload, closed))
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

    private async Task JoinAsync(ClientConnection connection, JoinCommand join, CancellationToken closed)
    {
        if (!MayEnter(connection, join.Room))
        {
            Reject(connection, new ProtocolError(join.RequestId, ErrorCodes.Forbidden, PrivateRoom(join.Room)));
            return;
        }

        if (connections.RoomCount(connection) >= _options.MaxRoomsPerConnection && !connections.IsMember(connection, join.Room))
        {
            Reject(connection, new ProtocolError(join.RequestId, ErrorCodes.BadRequest, $"a connection can be in at most {_options.MaxRoomsPerConnection} rooms"));
            return;
        }

        // Local first, so nothing routed to the room after presence answers can miss it.
        if (!connections.Join(connection, join.Room, out var sequence))
        {
            connection.TrySend(ServerFrames.RoomAck(join.RequestId, join.Room));
            return;
        }

        var problem = "presence no longer knows this connection; reconnect";
        try
        {
            if (await presence.JoinAsync(connection, join.Room, sequence, closed))
            {
                connection.TrySend(ServerFrames.RoomAck(join.RequestId, join.Room));
                return;
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The close report takes whatever presence made of it.
            connections.Leave(connection, join.Room, out _);
            return;
        }
        catch (PresenceUnavailableException exception)
        {
            problem = $"{exception.Message}; not joined";

            // Presence may have applied it after all: its report of what this gateway holds wins.
            registry.RequestSync("a join presence did not confirm");
        }

        connections.Leave(connection, join.Room, out _);
        Reject(connection, new ProtocolError(join.RequestId, ErrorCodes.Unavailable, problem));
    }

    private async Task LeaveAsync(ClientConnection connection, LeaveCommand leave, CancellationToken closed)
    {
        // Local first: the client stops getting the room's messages at once.
        if (!connections.Leave(connection, leave.Room, out var sequence))
        {
            connection.TrySend(ServerFrames.RoomAck(leave.RequestId, leave.Room));
            return;
        }

        try
        {
            await presence.LeaveAsync(connection, leave.Room, sequence, closed);
            connection.TrySend(ServerFrames.RoomAck(leave.RequestId, leave.Room));
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The close report ends the membership anyway.
        }
        catch (PresenceUnavailableException exception)
        {
            // Still a member for everyone else, so a member here too; the client may try again.
            // Presence may have applied it after all: its report of what this gateway holds wins.
            connections.Join(connection, leave.Room, out _);
            registry.RequestSync("a leave presence did not confirm");
            Reject(connection, new ProtocolError(leave.RequestId, ErrorCodes.Unavailable, $"{exception.Message}; not left"));
        }
    }

    /// <summary>A <c>private:</c> room is for the users whose token lists it; any other room is for anyone.</summary>
    private static bool MayEnter(ClientConnection connection, string room) =>
        !room.StartsWith(PrivatePrefix, StringComparison.Ordinal) || connection.Grants.Rooms.Contains(room);

    private static string PrivateRoom(string room) => $"room {room} is private; it needs a token that lists it";

    private void Reject(ClientConnection connection, ProtocolError error)
    {
        metrics.ErrorSent(error.Code);
        connection.TrySend(ServerFrames.Error(error));
    }
}
