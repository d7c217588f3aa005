using ChatPlatform.Client.Events;
using ChatPlatform.Client.Protocol;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// Brings a new connection's rooms in line with the client's rooms, then makes it the client's
/// connection (docs/clients.md, "Reconnecting"). A connection that resumes an earlier one first
/// waits for the gateway's <c>recovered</c> frame: the rooms it names are joined already, so only
/// the others are joined here (all of them when the gateway did not know the session). Rooms are
/// joined one at a time. A room the gateway refuses (e.g. <c>forbidden</c>) is dropped from the
/// client's rooms and reported with <see cref="RejoinFailed"/>; a failure that says nothing about
/// the room (disconnected, timeout, unavailable, internal) fails the attempt, so the client
/// connects again later. Being rate limited only slows the rejoin down. A join or leave made
/// meanwhile fails with <c>disconnected</c> but changes the client's rooms, so the rooms are
/// compared again, under the lock that calls take (<see cref="ClientLink.TryInstall"/>), until
/// nothing is left to do.
/// </summary>
internal sealed class Rejoiner(ChatClientOptions options, ClientLink link, ClientRooms rooms, RequestSender requests, EventStream events)
{
    /// <summary>A room refused for sending too fast is tried again after this while rejoining.</summary>
    private static readonly TimeSpan RateLimitPause = TimeSpan.FromSeconds(1);

    private const int RateLimitRetries = 10;

    private const string Closed = "the client was closed";

    /// <summary>
    /// Rejoins on <paramref name="connection"/>, a started connection to gateway
    /// <paramref name="urlIndex"/>, and installs it, publishing <see cref="Reconnected"/>.
    /// </summary>
    /// <returns><see langword="null"/> once the connection is the client's; otherwise why it is not, and the caller closes it.</returns>
    public async Task<string?> RejoinAsync(GatewayConnection connection, int urlIndex)
    {
        var joined = new List<string>();
        if (connection.IsResuming)
        {
            Recovered? recovered;
            try
            {
                recovered = await connection.Recovery.WaitAsync(options.RequestTimeout, link.Lifetime);
            }
            catch (OperationCanceledException)
            {
                return Closed;
            }
            catch (TimeoutException)
            {
                return $"the gateway did not finish resuming within {options.RequestTimeout.TotalSeconds:0.###} s";
            }

            if (recovered is null)
            {
                return "the connection was lost while the gateway resumed it";
            }

            joined.AddRange(recovered.Rooms.Distinct(StringComparer.Ordinal));
        }

        while (true)
        {
            var installed = link.TryInstall(connection, urlIndex, rooms, joined, () => events.Publish(new Reconnected(connection.Session, [.. joined])));
            if (installed is not { } changes)
            {
                return Closed;
            }

            if (changes.IsEmpty)
            {
                return null;
            }

            foreach (var room in changes.ToJoin)
            {
                switch (await JoinAsync(connection, room))
                {
                    case RejoinOutcome.Joined:
                        joined.Add(room);
                        break;
                    case RejoinOutcome.Failed failed:
                        return failed.Error;
                }
            }

            foreach (var room in changes.ToLeave)
            {
                try
                {
                    Answers.RoomAck(await requests.SendAsync(connection, id => ClientFrames.Leave(id, room), link.Lifetime));
                    joined.Remove(room);
                }
                catch (OperationCanceledException)
                {
                    return Closed;
                }
                catch (ChatException exception)
                {
                    return $"could not leave {room}: {exception.Code}: {exception.Message}";
                }
            }
        }
    }

    /// <summary>Joins one room on a new connection; see <see cref="Rejoiner"/>.</summary>
    private async Task<RejoinOutcome> JoinAsync(GatewayConnection connection, string room)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                Answers.RoomAck(await requests.SendAsync(connection, id => ClientFrames.Join(id, room), link.Lifetime));
                return RejoinOutcome.Joined.Instance;
            }
            catch (OperationCanceledException)
            {
                return new RejoinOutcome.Failed(Closed);
            }
            catch (ChatException exception) when (exception.Code == ChatErrorCodes.RateLimited && retry < RateLimitRetries)
            {
                try
                {
                    await Task.Delay(RateLimitPause, link.Lifetime);
                }
                catch (OperationCanceledException)
                {
                    return new RejoinOutcome.Failed(Closed);
                }
            }
            catch (ChatException exception) when (exception.Code is ChatErrorCodes.BadRequest or ChatErrorCodes.Forbidden)
            {
                rooms.Remove(room);
                events.Publish(new RejoinFailed(room, exception.Code, exception.Message));
                return RejoinOutcome.Dropped.Instance;
            }
            catch (ChatException exception)
            {
                return new RejoinOutcome.Failed($"could not join {room} again: {exception.Code}: {exception.Message}");
            }
        }
    }
}
