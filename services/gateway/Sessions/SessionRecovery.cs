using System.Threading.Channels;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Access;
using ChatPlatform.Gateway.Commands;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.History;
using ChatPlatform.Gateway.Protocol;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Sessions;

/// <summary>
/// Resumes a session on a new connection (docs/protocol.md, "Resuming a connection"): puts it
/// back in the old connection's rooms, sends what it missed in each stream as recovered
/// messages, then the <c>recovered</c> frame, then the live frames held meanwhile. The hand-over
/// is exact because the connection was already registered, and in its rooms, when each stream
/// was read: a message after the last one read was published to it, so it is among those held;
/// one read and also delivered live is dropped by its offset, whether it was held or reached the
/// connection after the hand-over (<see cref="ClientConnection.ReleaseHeld"/>).
/// </summary>
internal sealed class SessionRecovery(
    MembershipHandler memberships,
    AccessRules access,
    ISessionStore sessions,
    IHistoryReader history,
    GatewayMetrics metrics,
    ILogger<SessionRecovery> logger)
{
    private const int PageSize = 100;

    private static readonly Dictionary<string, HistoryPosition> NothingRecovered = [];

    /// <param name="plan">What the session resumes, or null when it could not be resumed.</param>
    public async Task RunAsync(ClientConnection connection, ResumePlan? plan, CancellationToken closed)
    {
        if (plan is null)
        {
            Log.ResumeRefused(logger, connection.Id);
            metrics.Resumed("refused", 0);
            connection.ReleaseHeld(NothingRecovered, ServerFrames.Recovered([], 0, complete: false));
            return;
        }

        var restored = new List<string>();
        var recoveredUpTo = new Dictionary<string, HistoryPosition>(StringComparer.Ordinal);
        var complete = true;
        var sent = 0;
        try
        {
            foreach (var room in plan.Rooms)
            {
                if (access.MayRestore(connection, room) && await memberships.RestoreAsync(connection, room, closed))
                {
                    restored.Add(room);
                }
                else
                {
                    await sessions.RecordLeaveAsync(connection, room);
                }
            }

            foreach (var stream in restored.Select(HistoryStreams.OfRoom).Prepend(HistoryStreams.OfUser(connection.UserId)))
            {
                if (!plan.Starts.TryGetValue(stream, out var start))
                {
                    continue;
                }

                // The old connection's own room messages never reached it, so they are not sent back.
                var skipFrom = HistoryStreams.RoomOf(stream) is null ? null : plan.OldConnectionId;
                var replay = await ReplayAsync(connection, stream, start, skipFrom, closed);
                complete &= replay.Complete;
                sent += replay.Sent;
                if (replay.UpTo is { } upTo)
                {
                    recoveredUpTo[stream] = upTo;
                }
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ChannelClosedException or OperationCanceledException)
        {
            // Closing, or Redis failed: what was sent stands, and the client learns the rest may be missing.
            Log.RecoveryFailed(logger, connection.Id, exception);
            complete = false;
        }

        Log.Resumed(logger, connection.Id, plan.OldConnectionId, restored.Count, sent, complete);
        metrics.Resumed(complete ? "complete" : "incomplete", sent);
        connection.ReleaseHeld(recoveredUpTo, ServerFrames.Recovered(restored, sent, complete));
    }

    /// <summary>Sends the stream's messages after <paramref name="start"/>, oldest first.</summary>
    /// <returns>Whether history covered the whole gap, how many were sent, and the last position read.</returns>
    private async Task<(bool Complete, int Sent, HistoryPosition? UpTo)> ReplayAsync(
        ClientConnection connection, string stream, StreamStart start, string? skipFrom, CancellationToken closed)
    {
        var after = start.Offset;
        var complete = true;
        var sent = 0;
        while (true)
        {
            var page = await history.ReadAfterAsync(stream, after, PageSize);
            if (page.Epoch != start.Epoch)
            {
                // Lost (a new epoch, or none: expired): its messages are gone, and its offsets mean nothing now.
                return (false, sent, null);
            }

            if (page.LastOffset > after && (page.Messages.Count == 0 || page.Messages[0].Position?.Offset != after + 1))
            {
                // Trimmed: the oldest messages of the gap are gone.
                complete = false;
            }

            foreach (var message in page.Messages)
            {
                after = message.Position?.Offset ?? after;
                if (message.FromConnection == skipFrom)
                {
                    continue;
                }

                await connection.SendRecoveredAsync(ServerFrames.Message(message, recovered: true), closed);
                sent++;
            }

            if (page.Messages.Count < PageSize)
            {
                return (complete, sent, new HistoryPosition(stream, start.Epoch, after));
            }
        }
    }
}
