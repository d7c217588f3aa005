using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.DataPlane;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Connections;

/// <summary>
/// <c>GET /ws</c>: checks the request, registers the connection with presence, accepts the
/// upgrade, sends <c>welcome</c>, then reads frames until the connection closes.
/// </summary>
internal sealed class ConnectionEndpoint(
    GatewayIdentity identity,
    LocalConnections connections,
    IPresenceClient presence,
    ClientCommandHandler commands,
    FrameAdmission admission,
    GatewayLifecycle lifecycle,
    GatewayChannelListener listener,
    IConnectionMultiplexer redis,
    IBusControl bus,
    RateLimiter rateLimiter,
    UpgradeAuthenticator authenticator,
    OriginPolicy origins,
    TimeProvider time,
    IOptions<GatewayOptions> options,
    GatewayMetrics metrics,
    ILogger<ConnectionEndpoint> logger)
{
    private readonly GatewayOptions _options = options.Value;

    // Connections open or being opened; counted before anything else so the limit holds under a burst of upgrades.
    private int _open;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "not_websocket", "this endpoint accepts WebSocket upgrades only");
            return;
        }

        // Before authentication: a page on another site learns nothing about its visitor's token.
        if (!origins.IsAllowed(context.Request))
        {
            Log.OriginRefused(logger, LogValue.Escape(context.Request.Headers.Origin.ToString()));
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "origin", "this origin may not open connections");
            return;
        }

        var authentication = await authenticator.AuthenticateAsync(context);
        if (authentication.Identity is not { } identity)
        {
            Log.AuthenticationRefused(logger, LogValue.Escape(authentication.Reason));
            var metric = authentication.Status switch
            {
                StatusCodes.Status401Unauthorized => "unauthorized",
                StatusCodes.Status503ServiceUnavailable => "no_keys",
                _ => "bad_user",
            };
            await RefuseAsync(context, authentication.Status, metric, authentication.ClientMessage);
            return;
        }

        if (NotReadyReason() is { } reason)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "not_ready", reason);
            return;
        }

        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "connection_limit", $"this gateway holds its limit of {_options.MaxConnections} connections; try another");
            return;
        }

        try
        {
            await OpenAsync(context, identity);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task OpenAsync(HttpContext context, UpgradeIdentity identity)
    {
        var connection = new ClientConnection(NewConnectionId(), identity.UserId, _options.OutboundQueueCapacity, _options.CloseTimeout, rateLimiter.ForConnection(), identity.Grants);

        // Known locally before it is routable, so nothing routed to it can miss it; frames queue
        // until the welcome is out.
        connections.Add(connection);
        WebSocket socket;
        try
        {
            await presence.RegisterAsync(connection, context.RequestAborted);
            connection.IsRegistered = true;
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = _options.KeepAliveInterval,
                KeepAliveTimeout = _options.KeepAliveTimeout,
            });
        }
        catch (Exception exception)
        {
            connections.Remove(connection);
            presence.ReportClosed(connection);
            if (exception is PresenceUnavailableException && !context.Response.HasStarted)
            {
                Log.RegistrationFailed(logger, connection.Id, exception);
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "presence_unavailable", exception.Message);
                return;
            }

            if (exception is OperationCanceledException or WebSocketException or IOException or PresenceUnavailableException)
            {
                return;
            }

            throw;
        }

        metrics.Connected();
        Log.Connected(logger, connection.Id, LogValue.Escape(connection.UserId));
        try
        {
            await RunAsync(connection, socket);
        }
        finally
        {
            connections.Remove(connection);
            if (!lifecycle.IsStopping)
            {
                // A stopping gateway reports itself gone once, instead of every connection.
                presence.ReportClosed(connection);
            }

            metrics.Disconnected(connection.CloseDescription);
            Log.Disconnected(logger, connection.Id, connection.CloseDescription);
            socket.Dispose();
        }
    }

    private async Task RunAsync(ClientConnection connection, WebSocket socket)
    {
        var welcome = ServerFrames.Welcome(connection.Id, connection.UserId, identity.Id);
        var (queue, budget) = admission.CreateQueue();

        // A connection lives no longer than its token: the client reconnects with a fresh one.
        using var expiry = connection.Grants.ExpiresAt is { } expiresAt
            ? new CancellationTokenSource(Clamp(expiresAt - time.GetUtcNow()), time)
            : new CancellationTokenSource();

        using var expired = expiry.Token.Register(() =>
            connection.Close(WebSocketCloseStatus.PolicyViolation, "token expired; reconnect with a fresh token", drain: true));
        using var closed = new CancellationTokenSource();
        var sending = connection.RunSenderAsync(socket, welcome);
        var handling = HandleAllAsync(connection, queue.Reader, closed.Token);
        var receiving = ReceiveAsync(connection, socket, queue.Writer, budget);
        await Task.WhenAny(sending, receiving);

        // Whichever side ended first, finish the close handshake (a no-op if already closing),
        // and give the peer a bounded time to do its part.
        connection.Close(WebSocketCloseStatus.NormalClosure, "", drain: true);
        var both = Task.WhenAll(sending, receiving);
        if (await Task.WhenAny(both, Task.Delay(_options.CloseTimeout)) != both)
        {
            socket.Abort();
        }

        await both;

        // Frames read before the close are still acted on, but nothing waits on a router or
        // presence for them: until handling ends the connection holds its slot and stays routable.
        await closed.CancelAsync();
        await handling;
    }

    /// <summary>
    /// Reads until the client's close frame arrives or the socket fails, admitting text frames
    /// to the handling queue; never waits for them to be handled, and never throws.
    /// </summary>
    private async Task ReceiveAsync(ClientConnection connection, WebSocket socket, ChannelWriter<QueuedFrame> queue, FrameQueueBudget budget)
    {
        using var reader = new FrameReader(_options.MaxFrameBytes);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(socket, CancellationToken.None);
                if (result.Kind == FrameKind.Close)
                {
                    return;
                }

                if (connection.IsClosing)
                {
                    // Closing: the client's remaining frames are read only to reach its close frame.
                    continue;
                }

                switch (result.Kind)
                {
                    case FrameKind.Binary:
                        metrics.ErrorSent("binary");
                        connection.Close(WebSocketCloseStatus.InvalidMessageType, "binary frames are not supported; send JSON text frames", drain: true);
                        break;
                    case FrameKind.TooLarge:
                        metrics.ErrorSent(ErrorCodes.TooLarge);
                        connection.TrySend(ServerFrames.Error(null, ErrorCodes.TooLarge, $"frame exceeds the {_options.MaxFrameBytes}-byte limit"));
                        connection.Close(WebSocketCloseStatus.MessageTooBig, $"frame exceeds {_options.MaxFrameBytes} bytes", drain: true);
                        break;
                    default:
                        admission.Admit(connection, result.Frame, queue, budget);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            connection.Abort();
        }
        catch (Exception exception)
        {
            Log.ConnectionFailed(logger, connection.Id, exception);
            connection.Close(WebSocketCloseStatus.InternalServerError, "internal error", drain: true);
        }
        finally
        {
            queue.TryComplete();
        }
    }

    /// <summary>Handles the connection's admitted frames one at a time, in order.</summary>
    private async Task HandleAllAsync(ClientConnection connection, ChannelReader<QueuedFrame> queue, CancellationToken closed)
    {
        await foreach (var frame in queue.ReadAllAsync())
        {
            try
            {
                await commands.HandleAsync(connection, frame.Frame, closed);
            }
            catch (Exception exception)
            {
                // A fault in handling one frame is answered, and the connection lives on.
                Log.FrameFailed(logger, connection.Id, exception);
                metrics.ErrorSent(ErrorCodes.Internal);
                connection.TrySend(ServerFrames.Error(null, ErrorCodes.Internal, "the gateway failed to handle this frame"));
            }
            finally
            {
                frame.Release();
            }
        }
    }

    private string? NotReadyReason()
    {
        if (lifecycle.IsStopping)
        {
            return "the gateway is shutting down";
        }

        if (!redis.IsConnected || !listener.IsSubscribed)
        {
            return "the gateway is not connected to Redis";
        }

        return bus.CheckHealth().Status == BusHealthStatus.Healthy ? null : "the gateway is not connected to the control-plane bus";
    }

    private Task RefuseAsync(HttpContext context, int status, string reason, string message)
    {
        metrics.Rejected(reason);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return context.Response.WriteAsync(message + "\n");
    }

    /// <summary>Within what a timer takes: from nothing (already expired) to about 49 days.</summary>
    private static TimeSpan Clamp(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromDays(49) ? TimeSpan.FromDays(49) : delay;

    private static string NewConnectionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
