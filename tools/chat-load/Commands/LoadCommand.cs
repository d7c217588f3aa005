using System.CommandLine;
using ChatPlatform.Cli.Tokens;
using ChatPlatform.Load.Output;
using ChatPlatform.Load.Running;

namespace ChatPlatform.Load.Commands;

/// <summary><c>chat-load</c>: connects many clients, sends at a fixed rate for a while, prints what came back.</summary>
internal static class LoadCommand
{
    public const int MaxClients = 10_000;
    public const double MaxRate = 1_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxDrain = TimeSpan.FromMinutes(1);

    /// <summary>Development user names are at most 64 characters; this leaves room for "-" and the client number.</summary>
    private const int MaxUserPrefixLength = 50;

    public static RootCommand Create()
    {
        var urls = new Option<string[]>("--url")
        {
            Description = "A gateway's WebSocket address, e.g. ws://127.0.0.1:8081/ws; repeat it to spread the clients round-robin over several",
            Required = true,
        };
        var clients = new Option<int>("--clients", "-n") { Description = $"Clients to connect, 1 to {MaxClients} (2 or more for --mode direct)", DefaultValueFactory = _ => 10 };
        var mode = new Option<string>("--mode") { Description = "direct: each message to a random other client's user; room: every client joins one room and sends to it", DefaultValueFactory = _ => "direct" };
        mode.AcceptOnlyFromAmong("direct", "room");
        var room = new Option<string?>("--room") { Description = "The room for --mode room (default load-RUN, new for every run)" };
        var rate = new Option<double>("--rate") { Description = $"Messages a second each client sends, above 0 and at most {MaxRate} (gateways allow 20 a second per connection by default)", DefaultValueFactory = _ => 1 };
        var duration = new Option<string?>("--duration", "-d") { Description = $"How long the clients send: 10, 90s, 1m30s, 500ms (default 10s, or {MaxDuration.TotalMinutes:0} min with --messages; at most {MaxDuration.TotalMinutes:0} min)" };
        var messages = new Option<long?>("--messages") { Description = "Stop after this many messages in all" };
        var drain = new Option<string>("--drain") { Description = $"How long to wait after the last ack for deliveries still on their way (at most {MaxDrain.TotalSeconds:0}s)", DefaultValueFactory = _ => "5s" };
        var userPrefix = new Option<string?>("--user-prefix") { Description = "Client i is the user PREFIX-i (default load-RUN, new for every run); letters, digits, '-', '_' and '.'" };
        var tokens = new Option<bool>("--tokens") { Description = "Connect with HS256 tokens minted from --secret, --issuer and --audience (or CHAT_JWT_SECRET, CHAT_JWT_ISSUER, CHAT_JWT_AUDIENCE) instead of as development users; implied by --secret, --issuer or --audience" };
        var secret = new Option<string?>("--secret") { Description = "The gateways' HS256 secret, at least 32 bytes of UTF-8 (default: CHAT_JWT_SECRET)" };
        var issuer = new Option<string?>("--issuer") { Description = "The tokens' iss claim (default: CHAT_JWT_ISSUER)" };
        var audience = new Option<string?>("--audience") { Description = "The tokens' aud claim (default: CHAT_JWT_AUDIENCE)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a send waits for its ack before it counts as a timeout", DefaultValueFactory = _ => 10 };
        var parallel = new Option<int>("--connect-parallel") { Description = "Clients connecting at the same time", DefaultValueFactory = _ => 16 };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object" };

        var command = new RootCommand("Load generator for ChatPlatform: connects many clients, sends at a fixed rate, and prints acks, deliveries, losses and latencies")
        {
            urls, clients, mode, room, rate, duration, messages, drain, userPrefix, tokens, secret, issuer, audience, timeout, parallel, json,
        };

        // Each option checks itself: a command validator does not see the defaults of options left out.
        Check(urls, values => values?.FirstOrDefault(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss")) is { } bad
            ? $"--url must be a ws:// or wss:// address: {bad}"
            : null);
        Check(clients, count => count is < 1 or > MaxClients ? $"--clients must be 1 to {MaxClients}." : null);
        Check(rate, perClient => perClient is > 0 and <= MaxRate ? null : $"--rate must be above 0 and at most {MaxRate}.");
        Check(duration, text => text is not null && (!Durations.TryParse(text, out var sending) || sending <= TimeSpan.Zero || sending > MaxDuration)
            ? $"--duration must be a positive duration of at most {MaxDuration.TotalMinutes:0} minutes, such as 10, 30s or 2m, not '{text}'."
            : null);
        Check(messages, cap => cap is < 1 ? "--messages must be at least 1." : null);
        Check(drain, text => !Durations.TryParse(text, out var waiting) || waiting > MaxDrain
            ? $"--drain must be a duration from 0 to {MaxDrain.TotalSeconds:0}s, not '{text}'."
            : null);
        Check(userPrefix, prefix => prefix is not null && !IsName(prefix, MaxUserPrefixLength, allowColon: false)
            ? $"--user-prefix must be 1 to {MaxUserPrefixLength} letters, digits, '-', '_' or '.', not '{prefix}'."
            : null);
        Check(room, name => name is not null && !IsName(name, 128, allowColon: true)
            ? $"--room must be 1 to 128 letters, digits, '-', '_', '.' or ':', not '{name}'."
            : null);
        Check(timeout, seconds => seconds is > 0 and <= 300 ? null : "--timeout must be above 0 and at most 300 seconds.");
        Check(parallel, count => count is < 1 or > 1000 ? "--connect-parallel must be 1 to 1000." : null);

        command.SetAction(async (result, cancellationToken) =>
        {
            if (CrossOptionProblem(result.GetValue(clients), result.GetValue(mode), result.GetValue(tokens), result.GetValue(secret), result.GetValue(issuer), result.GetValue(audience)) is { } problem)
            {
                Console.Error.WriteLine($"chat-load: {problem}");
                return ExitCodes.Usage;
            }

            var runId = Guid.NewGuid().ToString("N")[..6];
            TokenSettings? tokenSettings = null;
            if (UsesTokens(result.GetValue(tokens), result.GetValue(secret), result.GetValue(issuer), result.GetValue(audience)))
            {
                var (resolvedSecret, resolvedIssuer, resolvedAudience) = TokenParts(result.GetValue(secret), result.GetValue(issuer), result.GetValue(audience));
                tokenSettings = new TokenSettings(resolvedSecret!, resolvedIssuer!, resolvedAudience!);
            }

            var messageCap = result.GetValue(messages);
            Durations.TryParse(result.GetValue(duration), out var sending);
            Durations.TryParse(result.GetRequiredValue(drain), out var waiting);
            var settings = new LoadSettings
            {
                Urls = [.. result.GetRequiredValue(urls).Select(url => new Uri(url, UriKind.Absolute))],
                Clients = result.GetValue(clients),
                UserPrefix = result.GetValue(userPrefix) ?? $"load-{runId}",
                Tokens = tokenSettings,
                Mode = result.GetValue(mode) == "room" ? LoadMode.Room : LoadMode.Direct,
                Room = result.GetValue(room) ?? $"load-{runId}",
                Rate = result.GetValue(rate),
                // A message cap alone runs until the count is reached, within the longest duration.
                Duration = result.GetValue(duration) is not null ? sending : messageCap is null ? DefaultDuration : MaxDuration,
                Messages = messageCap,
                Drain = waiting,
                RequestTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
                ConnectParallelism = result.GetValue(parallel),
                RunId = runId,
            };

            using var stop = StopSignals.Register(cancellationToken);
            var progress = result.GetValue(json) ? TextWriter.Null : Console.Error;
            var outcome = await new LoadRunner(settings, progress).RunAsync(stop.Token);
            if (outcome.Summary is not { } summary)
            {
                Console.Error.WriteLine($"chat-load: {outcome.Failure}");
                return ExitCodes.Unreachable;
            }

            if (result.GetValue(json))
            {
                Console.Out.WriteLine(SummaryJson.Write(summary));
            }
            else
            {
                SummaryText.Write(summary, Console.Out);
            }

            return summary.Interrupted ? ExitCodes.Interrupted : summary.IsClean ? ExitCodes.Ok : ExitCodes.Degraded;
        });
        return command;
    }

    private static void Check<T>(Option<T> option, Func<T?, string?> problem) =>
        option.Validators.Add(result =>
        {
            if (problem(result.GetValueOrDefault<T>()) is { } error)
            {
                result.AddError(error);
            }
        });

    /// <summary>What the options say together that none says alone; checked once the defaults are in.</summary>
    private static string? CrossOptionProblem(int clients, string? mode, bool tokens, string? secret, string? issuer, string? audience)
    {
        if (clients < 2 && mode == "direct")
        {
            return "--mode direct needs at least 2 clients: each sends to another.";
        }

        if (!UsesTokens(tokens, secret, issuer, audience))
        {
            return null;
        }

        var (resolvedSecret, resolvedIssuer, resolvedAudience) = TokenParts(secret, issuer, audience);
        if (string.IsNullOrEmpty(resolvedSecret) || string.IsNullOrEmpty(resolvedIssuer) || string.IsNullOrEmpty(resolvedAudience))
        {
            return "tokens need --secret, --issuer and --audience, or CHAT_JWT_SECRET, CHAT_JWT_ISSUER and CHAT_JWT_AUDIENCE.";
        }

        return System.Text.Encoding.UTF8.GetByteCount(resolvedSecret) < DevelopmentToken.MinSecretBytes
            ? $"the secret must be at least {DevelopmentToken.MinSecretBytes} bytes of UTF-8."
            : null;
    }

    private static bool UsesTokens(bool tokens, string? secret, string? issuer, string? audience) =>
        tokens || secret is not null || issuer is not null || audience is not null;

    private static (string? Secret, string? Issuer, string? Audience) TokenParts(string? secret, string? issuer, string? audience) => (
        secret ?? Environment.GetEnvironmentVariable("CHAT_JWT_SECRET"),
        issuer ?? Environment.GetEnvironmentVariable("CHAT_JWT_ISSUER"),
        audience ?? Environment.GetEnvironmentVariable("CHAT_JWT_AUDIENCE"));

    /// <summary>The gateway's rule for development user and room names, checked here so a typo fails before connecting.</summary>
    private static bool IsName(string name, int maxLength, bool allowColon) =>
        name.Length > 0 && name.Length <= maxLength
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' || (allowColon && c == ':'));
}
