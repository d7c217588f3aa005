using ChatPlatform.Gateway.Authentication;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Upgrades;

/// <summary>
/// Decides whether a <c>GET /ws</c> request may become a connection, checking in the order
/// docs/protocol.md gives: a WebSocket upgrade, an allowed origin (before authentication, so a
/// page on another site learns nothing about its visitor's token), a known user, a ready gateway
/// (<see cref="GatewayReadiness"/>), and a place under <see cref="GatewayOptions.MaxConnections"/>.
/// A refused request is answered here, with its status and a reason counted in the metrics.
/// </summary>
internal sealed class UpgradeGate(
    OriginPolicy origins,
    UpgradeAuthenticator authenticator,
    GatewayReadiness readiness,
    IOptions<GatewayOptions> options,
    GatewayMetrics metrics,
    ILogger<UpgradeGate> logger)
{
    private readonly int _maxConnections = options.Value.MaxConnections;

    // Connections open or being opened; counted before anything else so the limit holds under a burst of upgrades.
    private int _open;

    /// <summary>
    /// Admits the request, or answers it with a refusal. An admitted request holds a place under
    /// the connection limit until <see cref="Leave"/>.
    /// </summary>
    /// <returns>Who the request is; null when it was refused.</returns>
    public async Task<UpgradeIdentity?> AdmitAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "not_websocket", "this endpoint accepts WebSocket upgrades only");
            return null;
        }

        if (!origins.IsAllowed(context.Request))
        {
            Log.OriginRefused(logger, LogValue.Escape(context.Request.Headers.Origin.ToString()));
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "origin", "this origin may not open connections");
            return null;
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
            return null;
        }

        if (readiness.NotReadyReason() is { } reason)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "not_ready", reason);
            return null;
        }

        if (Interlocked.Increment(ref _open) > _maxConnections)
        {
            Interlocked.Decrement(ref _open);
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "connection_limit", $"this gateway holds its limit of {_maxConnections} connections; try another");
            return null;
        }

        return identity;
    }

    /// <summary>Gives back an admitted request's place under the connection limit, once its connection has ended.</summary>
    public void Leave() => Interlocked.Decrement(ref _open);

    /// <summary>Answers the upgrade request with an HTTP error; a 503 asks the client to try again in a second.</summary>
    /// <param name="reason">Counted in <c>chat.gateway.connections.rejected</c>.</param>
    public Task RefuseAsync(HttpContext context, int status, string reason, string message)
    {
        metrics.Rejected(reason);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return context.Response.WriteAsync(message + "\n");
    }
}
