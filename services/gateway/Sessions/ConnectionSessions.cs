using System.Net.WebSockets;
using ChatPlatform.Gateway.Admission;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.History;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Sessions;

/// <summary>
/// Runs each accepted connection's session, from its <c>welcome</c> to the end of its close
/// handshake: three loops and a timer. The sender writes the connection's queued frames
/// (<see cref="ClientConnection.RunSenderAsync"/>); the reader reads frames, answers pings and
/// admits text frames (<see cref="FrameAdmission"/>); the handler acts on the admitted frames one
/// at a time, in order (<see cref="ClientCommandHandler"/>). The timer closes the connection when
/// its token expires. A resuming connection recovers (<see cref="SessionRecovery"/>) before its
/// handler starts, so its frames are answered after the <c>recovered</c> frame.
/// </summary>
internal sealed class ConnectionSessions(
    GatewayIdentity identity,
    FrameAdmission admission,
    ClientCommandHandler commands,
    SessionRecovery recovery,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<ConnectionSessions> logger)
{
    private readonly GatewayOptions _options = options.Value;

    /// <summary>Returns once the connection has closed and every frame read before has been handled.</summary>
    /// <param name="session">The connection's resume token, for its <c>welcome</c>.</param>
    /// <param name="resumption">Set when the connection asked to resume a session.</param>
    public async Task RunAsync(ClientConnection connection, WebSocket socket, SessionToken session, Resumption? resumption = null)
    {
        var welcome = ServerFrames.Welcome(connection.Id, connection.UserId, identity.Id, session.ToString());
        var pending = admission.Open();

        // A connection lives no longer than its token: the client reconnects with a fresh one.
        using var expiry = connection.Grants.ExpiresAt is { } expiresAt
            ? new CancellationTokenSource(Clamp(expiresAt - time.GetUtcNow()), time)
            : new CancellationTokenSource();

        using var expired = expiry.Token.Register(() =>
            connection.Close(CloseCodes.PolicyViolation, CloseCodes.TokenExpiredReason, drain: true));
        using var closed = new CancellationTokenSource();
        var sending = connection.RunSenderAsync(socket, welcome);
        var handling = RecoverThenHandleAsync(connection, resumption, pending, closed.Token);
        var receiving = ReceiveAsync(connection, socket, pending);
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
    private async Task ReceiveAsync(ClientConnection connection, WebSocket socket, PendingFrames pending)
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
                        connection.Close(CloseCodes.BinaryFrame, CloseCodes.BinaryFrameReason, drain: true);
                        break;
                    case FrameKind.TooLarge:
                        metrics.ErrorSent(ErrorCodes.TooLarge);
                        connection.TrySend(ServerFrames.Error(null, ErrorCodes.TooLarge, $"frame exceeds the {_options.MaxFrameBytes}-byte limit"));
                        connection.Close(CloseCodes.TooLarge, $"frame exceeds {_options.MaxFrameBytes} bytes", drain: true);
                        break;
                    default:
                        admission.Admit(connection, result.Frame, pending);
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
            connection.Close(CloseCodes.InternalError, CloseCodes.InternalErrorReason, drain: true);
        }
        finally
        {
            pending.Complete();
        }
    }

    private async Task RecoverThenHandleAsync(ClientConnection connection, Resumption? resumption, PendingFrames pending, CancellationToken closed)
    {
        if (resumption is not null)
        {
            await recovery.RunAsync(connection, resumption.Plan, closed);
        }

        await HandleAllAsync(connection, pending, closed);
    }

    /// <summary>Handles the connection's admitted frames one at a time, in order.</summary>
    private async Task HandleAllAsync(ClientConnection connection, PendingFrames pending, CancellationToken closed)
    {
        await foreach (var frame in pending.Reader.ReadAllAsync())
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

    /// <summary>Within what a timer takes: from nothing (already expired) to about 49 days.</summary>
    private static TimeSpan Clamp(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromDays(49) ? TimeSpan.FromDays(49) : delay;
}
