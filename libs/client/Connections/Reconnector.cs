using ChatPlatform.Client.Events;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// Keeps a client connected (docs/clients.md, "Reconnecting"): waits for each connection to
/// end, then, while <see cref="ReconnectPolicy"/> and the options allow, connects again with
/// backoff, each attempt to the next gateway URL, resuming the last connection
/// (<see cref="Gateways"/>), and rejoins the rooms the gateway did not restore
/// (<see cref="Rejoiner"/>) before the new connection takes calls. It publishes
/// <see cref="Disconnected"/>, <see cref="Reconnecting"/> and, through the rejoin,
/// <see cref="Reconnected"/>; when it gives up, the client's state becomes closed and the event stream ends.
/// </summary>
internal sealed class Reconnector(ChatClientOptions options, Gateways gateways, ClientLink link, ClientRooms rooms, RequestSender requests, EventStream events)
{
    private readonly ReconnectBackoff _backoff = new(options.ReconnectInitialDelay, options.ReconnectMaxDelay, Random.Shared);
    private readonly Rejoiner _rejoiner = new(options, link, rooms, requests, events);

    /// <summary>Runs until the client is closed or reconnecting stops; never faults.</summary>
    public async Task SuperviseAsync(GatewayConnection connection)
    {
        while (true)
        {
            var loss = await connection.Lost;
            if (!link.TryMarkLost())
            {
                return;
            }

            if (!options.Reconnect || !ReconnectPolicy.ShouldReconnect(loss))
            {
                Stop(new Disconnected(loss.Describe(), loss.CloseStatus, loss.CloseDescription, WillReconnect: false));
                return;
            }

            events.Publish(new Disconnected(loss.Describe(), loss.CloseStatus, loss.CloseDescription, WillReconnect: true));
            if (await ReconnectAsync() is not { } next)
            {
                return;
            }

            connection = next;
        }
    }

    /// <summary>
    /// Connects again with backoff, moving through the gateway URLs, and joins the rooms again.
    /// Returns <see langword="null"/> when the client was closed or reconnecting is hopeless.
    /// </summary>
    private async Task<GatewayConnection?> ReconnectAsync()
    {
        string? lastError = null;
        for (var attempt = 1; ; attempt++)
        {
            var delay = _backoff.Delay(attempt - 1);
            var urlIndex = (link.UrlIndex + attempt) % gateways.Count;
            events.Publish(new Reconnecting(attempt, delay, gateways.Url(urlIndex), lastError));
            GatewayConnection connection;
            try
            {
                await Task.Delay(delay, link.Lifetime);
                connection = await gateways.OpenAsync(urlIndex, resume: true, link.Lifetime);
            }
            catch (OperationCanceledException) when (link.IsClosing)
            {
                return null;
            }
            catch (ChatException exception)
            {
                if (ReconnectPolicy.IsFatal(exception, options.TokenProvider is not null))
                {
                    Stop(new Disconnected($"gave up reconnecting: {exception.Message}", null, null, WillReconnect: false));
                    return null;
                }

                lastError = exception.Message;
                continue;
            }

            connection.Start();
            if (await _rejoiner.RejoinAsync(connection, urlIndex) is not { } error)
            {
                return connection;
            }

            await connection.CloseAsync();
            if (link.IsClosing)
            {
                return null;
            }

            lastError = error;
        }
    }

    /// <summary>Stops for good: the state is closed before the last event is read.</summary>
    private void Stop(Disconnected last)
    {
        link.MarkClosed();
        events.Finish(last);
    }
}
