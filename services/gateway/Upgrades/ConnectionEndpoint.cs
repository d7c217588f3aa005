using System.Net.WebSockets;
using System.Security.Cryptography;
using ChatPlatform.Gateway.Authentication;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;
using ChatPlatform.Gateway.History;
using ChatPlatform.Gateway.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Upgrades;

/// <summary>
/// <c>GET /ws</c>: lets the request through the <see cref="UpgradeGate"/>, starts the
/// connection's session (taking over the one it resumes, if any), registers the connection with
/// presence, accepts the upgrade, runs the connection's session until it closes
/// (<see cref="ConnectionSessions"/>), then forgets it and reports it closed.
/// </summary>
internal sealed class ConnectionEndpoint(
    UpgradeGate gate,
    LocalConnections connections,
    ISessionStore sessionStore,
    IPresenceClient presence,
    ConnectionSessions sessions,
    GatewayLifecycle lifecycle,
    IOptions<GatewayOptions> options,
    GatewayMetrics metrics,
    ILogger<ConnectionEndpoint> logger)
{
    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context) is not { } identity)
        {
            return;
        }

        try
        {
            await OpenAsync(context, identity);
        }
        finally
        {
            gate.Leave();
        }
    }

    private async Task OpenAsync(HttpContext context, UpgradeIdentity identity)
    {
        var connection = new ClientConnection(NewConnectionId(), identity.UserId, _options.OutboundQueueCapacity, _options.CloseTimeout, identity.Grants);
        var resume = ResumeRequest.From(context.Request.Query);
        if (resume is not null)
        {
            // Before it is routable: what reaches it live waits until what it missed has been sent.
            connection.HoldLive();
        }

        ResumePlan? plan;
        SessionToken session;
        try
        {
            plan = resume is null ? null : await sessionStore.LoadAsync(resume, connection.UserId);

            // Before it is registered: its user stream starts before it can get a message.
            session = await sessionStore.CreateAsync(connection, plan);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.RegistrationFailed(logger, connection.Id, exception);
            await gate.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "session_store_unavailable", "the session store is unavailable");
            return;
        }

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
                await gate.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "presence_unavailable", exception.Message);
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
            await sessions.RunAsync(connection, socket, session, resume is null ? null : new Resumption(plan));
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

    private static string NewConnectionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
