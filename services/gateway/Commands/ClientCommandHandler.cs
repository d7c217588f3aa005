using ChatPlatform.Gateway.Access;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Commands;

/// <summary>
/// Acts on one frame from a client: parses it, checks it against the <see cref="AccessRules"/>,
/// and hands it to the handler of its type. Every frame gets exactly one answer, now or later: a
/// frame that cannot be read, is not allowed, or fails in its handler, is answered with an
/// <c>error</c> here. Frames of one connection are handled one at a time, in order, after
/// admission let them in.
/// </summary>
internal sealed class ClientCommandHandler(
    AccessRules access,
    SendHandler sends,
    PresenceQueryHandler presenceQueries,
    MembershipHandler memberships,
    HistoryHandler history,
    GatewayMetrics metrics)
{
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

        if (access.Check(connection, command) is { } refusal)
        {
            Reject(connection, refusal);
            return;
        }

        switch (command)
        {
            case SendCommand send:
                await sends.HandleAsync(connection, send, closed);
                break;
            case PresenceCommand query:
                await presenceQueries.HandleAsync(connection, query, closed);
                break;
            case JoinCommand join:
                RejectIfRefused(connection, await memberships.JoinAsync(connection, join, closed));
                break;
            case LeaveCommand leave:
                RejectIfRefused(connection, await memberships.LeaveAsync(connection, leave, closed));
                break;
            case HistoryCommand read:
                RejectIfRefused(connection, await history.HandleAsync(connection, read));
                break;
        }
    }

    private void RejectIfRefused(ClientConnection connection, ProtocolError? refusal)
    {
        if (refusal is not null)
        {
            Reject(connection, refusal);
        }
    }

    private void Reject(ClientConnection connection, ProtocolError error)
    {
        metrics.ErrorSent(error.Code);
        connection.TrySend(ServerFrames.Error(error));
    }
}
