using System.Collections.Concurrent;
using ChatPlatform.Cli.Tokens;
using ChatPlatform.Client;
using ChatPlatform.Load.Stats;

namespace ChatPlatform.Load.Running;

/// <summary>
/// One run: connect the clients (and join the room), send for the duration, wait for the answers
/// still due and for deliveries still on their way, close the clients, sum up. Every phase is
/// bounded in time; <c>stop</c> (Ctrl-C) cuts connecting and sending short and shortens the drain.
/// </summary>
internal sealed class LoadRunner(LoadSettings settings, TextWriter progress)
{
    /// <summary>The drain after Ctrl-C: long enough for what is on the wire, short enough for someone waiting.</summary>
    private static readonly TimeSpan InterruptedDrain = TimeSpan.FromSeconds(1);

    /// <summary>Development tokens outlive the longest run, so reconnects during a run are not refused.</summary>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly LoadRecorder _recorder = new(settings.Clients);
    private readonly ConcurrentDictionary<string, string> _firstConnectErrors = new(StringComparer.Ordinal);

    public async Task<LoadOutcome> RunAsync(CancellationToken stop)
    {
        var header = new RunHeader(
            settings.Mode == LoadMode.Room ? "room" : "direct",
            settings.Clients,
            settings.Urls.Count,
            settings.Rate,
            settings.Mode == LoadMode.Room ? settings.Room : null);

        progress.WriteLine($"chat-load: run {settings.RunId}: connecting {settings.Clients} clients ({settings.UserPrefix}-1 …) to {string.Join(", ", settings.Urls)}");
        var connectStart = Clock.NowMicroseconds();
        var clients = await ConnectAllAsync(stop);
        try
        {
            if (clients.Count == 0 && !stop.IsCancellationRequested)
            {
                return new LoadOutcome(null, $"no client could connect ({settings.Clients} tried): {string.Join("; ", _firstConnectErrors.Select(error => $"{error.Key}: {error.Value}"))}");
            }

            if (settings.Mode == LoadMode.Direct && clients.Count == 1 && !stop.IsCancellationRequested)
            {
                return new LoadOutcome(null, $"only 1 of {settings.Clients} clients connected; direct messages need two: {string.Join("; ", _firstConnectErrors.Select(error => $"{error.Key}: {error.Value}"))}");
            }

            var senders = settings.Mode == LoadMode.Room ? await JoinAllAsync(clients, stop) : clients;
            var connectSeconds = (Clock.NowMicroseconds() - connectStart) / 1e6;

            progress.WriteLine($"chat-load: {clients.Count} connected in {connectSeconds:0.00} s; sending {settings.Rate:0.###} msg/s per client for {settings.Duration.TotalSeconds:0.###} s{(settings.Messages is { } cap ? $" or {cap} messages" : "")}");
            var startUs = Clock.NowMicroseconds();
            var endUs = startUs + (long)settings.Duration.TotalMicroseconds;
            var budget = new SendBudget(settings.Messages);
            var pickTarget = TargetPicker(clients);
            var lastSends = stop.IsCancellationRequested
                ? []
                : await Task.WhenAll(senders.Select(client => Task.Run(() => client.SendLoopAsync(pickTarget, budget, startUs, endUs, stop))));
            var sendEndUs = lastSends.Length == 0 ? startUs : lastSends.Max();

            // Every send is answered, or fails, within the request timeout.
            await WaitUntilAsync(() => clients.Sum(client => client.Pending) == 0, settings.RequestTimeout + TimeSpan.FromSeconds(1), CancellationToken.None);
            var drain = stop.IsCancellationRequested && settings.Drain > InterruptedDrain ? InterruptedDrain : settings.Drain;
            progress.WriteLine($"chat-load: sending done; waiting up to {drain.TotalSeconds:0.###} s for deliveries");
            await WaitUntilAsync(() => _recorder.AllExpectedDelivered, drain, CancellationToken.None);

            await CloseAllAsync(clients);
            clients = [];
            return new LoadOutcome(_recorder.Summarize(header, connectSeconds, startUs, sendEndUs, stop.IsCancellationRequested), null);
        }
        finally
        {
            await CloseAllAsync(clients);
        }
    }

    private async Task<List<LoadClient>> ConnectAllAsync(CancellationToken stop)
    {
        var connected = new ConcurrentBag<LoadClient>();
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, settings.Clients),
                new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectParallelism, CancellationToken = stop },
                async (index, cancellationToken) =>
                {
                    var started = Clock.NowMicroseconds();
                    try
                    {
                        var client = await ChatClient.ConnectAsync(ClientOptions(index), cancellationToken);
                        _recorder.Connected(Clock.NowMicroseconds() - started);
                        var loadClient = new LoadClient(index, client, settings, _recorder);
                        loadClient.StartReading();
                        connected.Add(loadClient);
                    }
                    catch (ChatException exception)
                    {
                        _recorder.ConnectFailed(exception.Code);
                        _firstConnectErrors.TryAdd(exception.Code, exception.Message);
                    }
                });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted while connecting: the summary covers the clients that made it.
        }

        return [.. connected.OrderBy(client => client.Index)];
    }

    /// <summary>Client <paramref name="index"/> starts at gateway index mod count, and reconnects through the others.</summary>
    private ChatClientOptions ClientOptions(int index)
    {
        var user = settings.UserName(index);
        var options = new ChatClientOptions { RequestTimeout = settings.RequestTimeout };
        for (var i = 0; i < settings.Urls.Count; i++)
        {
            options.Urls.Add(settings.Urls[(index + i) % settings.Urls.Count]);
        }

        if (settings.Tokens is { } tokens)
        {
            options.TokenProvider = _ => ValueTask.FromResult(DevelopmentToken.Create(user, [], [], tokens.Secret, tokens.Issuer, tokens.Audience, TokenLifetime, DateTime.UtcNow));
        }
        else
        {
            options.User = user;
        }

        return options;
    }

    /// <summary>Joins every client to the room; the ones the gateway refuses do not send.</summary>
    private async Task<List<LoadClient>> JoinAllAsync(List<LoadClient> clients, CancellationToken stop)
    {
        var joined = new ConcurrentBag<LoadClient>();
        try
        {
            await Parallel.ForEachAsync(
                clients,
                new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectParallelism, CancellationToken = stop },
                async (client, cancellationToken) =>
                {
                    try
                    {
                        await client.Client.JoinAsync(settings.Room, cancellationToken);
                        joined.Add(client);
                    }
                    catch (ChatException exception)
                    {
                        _recorder.Failed($"join:{exception.Code}");
                    }
                });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted while joining: nothing is sent.
        }

        return [.. joined.OrderBy(client => client.Index)];
    }

    /// <summary>Direct messages go to a random other connected client's user; room messages to the room.</summary>
    private Func<LoadClient, ChatTarget> TargetPicker(List<LoadClient> clients)
    {
        if (settings.Mode == LoadMode.Room)
        {
            var room = ChatTarget.Room(settings.Room);
            return _ => room;
        }

        var users = clients.Select(client => ChatTarget.User(client.User)).ToArray();
        var positions = clients.Select((client, position) => (client.Index, position)).ToDictionary();
        return sender =>
        {
            // A random position among the others: draw from one fewer, and step over the sender's own.
            var pick = Random.Shared.Next(users.Length - 1);
            return users[pick >= positions[sender.Index] ? pick + 1 : pick];
        };
    }

    private static async Task CloseAllAsync(List<LoadClient> clients)
    {
        if (clients.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(
            clients,
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (client, _) => await client.CloseAsync(CloseTimeout));
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> has passed.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Clock.NowMicroseconds() + (long)timeout.TotalMicroseconds;
        while (!condition() && Clock.NowMicroseconds() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(PollInterval, CancellationToken.None);
        }
    }
}
