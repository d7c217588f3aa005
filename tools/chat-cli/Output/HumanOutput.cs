using System.Globalization;
using System.Text.Json;
using ChatPlatform.Cli.Sessions;
using ChatPlatform.Client;
using ChatPlatform.Client.Events;

namespace ChatPlatform.Cli.Output;

/// <summary>What happens, written for a person at a terminal; in colour when the output is one.</summary>
internal sealed class HumanOutput(TextWriter output) : ISessionOutput
{
    private readonly Lock _lock = new();
    private readonly bool _colour = !Console.IsOutputRedirected;

    /// <summary>The user this client connected as, to tell its own removal from a room from others leaving.</summary>
    private string? _me;

    public void Event(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case Connected connected:
                _me = connected.Session.User;
                Write(ConsoleColor.DarkGray, $"connected to {connected.Session.Gateway} as {connected.Session.User} (connection {connected.Session.ConnectionId}); /help lists the commands");
                break;
            case MessageReceived message:
                Write(ConsoleColor.White, $"{Line(message)}{(message.Recovered ? " (recovered)" : "")}");
                break;
            case Recovered { Complete: true } recovered:
                Write(ConsoleColor.DarkGray, $"resumed: {Count(recovered.Messages, "missed message")} recovered");
                break;
            case Recovered recovered:
                Write(ConsoleColor.Yellow, $"! resumed with a gap: messages sent while disconnected may be missing ({Count(recovered.Messages, "message")} recovered); /history ROOM or /history @me shows what is stored");
                break;
            case UserJoined joined:
                Write(ConsoleColor.DarkCyan, $"* {joined.User} joined {joined.Room}");
                break;
            case UserLeft left when left.User == _me:
                Write(ConsoleColor.Yellow, $"! you were removed from {left.Room}; /join {left.Room} to join again");
                break;
            case UserLeft left:
                Write(ConsoleColor.DarkCyan, $"* {left.User} left {left.Room}");
                break;
            case Disconnected { ByServer: true } disconnected:
                Write(ConsoleColor.Red, $"! {disconnected.Reason}");
                break;
            case Disconnected disconnected:
                Write(ConsoleColor.Yellow, $"! disconnected: {disconnected.Reason}{(disconnected.WillReconnect ? "; reconnecting" : "")}");
                break;
            case Reconnecting reconnecting:
                Write(ConsoleColor.DarkGray, $"… reconnecting to {reconnecting.Url} in {Seconds(reconnecting.Delay)} s (attempt {reconnecting.Attempt}){(reconnecting.LastError is { } lastError ? $"; last attempt: {lastError}" : "")}");
                break;
            case Reconnected reconnected:
                Write(ConsoleColor.DarkGray, $"reconnected to {reconnected.Session.Gateway} (connection {reconnected.Session.ConnectionId}){(reconnected.Rooms.Count > 0 ? $"; back in {string.Join(", ", reconnected.Rooms)}" : "")}");
                break;
            case RejoinFailed failed:
                Write(ConsoleColor.Red, $"! could not rejoin {failed.Room}: {failed.Code}: {failed.Message}");
                break;
            case ErrorReceived error:
                Write(ConsoleColor.Red, $"! {error.Code}: {error.Message}");
                break;
        }
    }

    public void Outcome(CommandOutcome outcome)
    {
        if (outcome.Error is { } error)
        {
            Write(ConsoleColor.Red, $"! {error.Code}: {error.Message}");
            return;
        }

        if (outcome.Answer is ChatHistory history)
        {
            WriteHistory(outcome.Command, history);
            return;
        }

        var text = (outcome.Command.Kind, outcome.Answer) switch
        {
            (CommandKind.Join, string room) => $"joined {room}",
            (CommandKind.Leave, string room) => $"left {room}",
            (_, SendResult sent) => $"sent to {Count(sent.Recipients, "recipient")}{(sent.Stored ? ", stored" : "")}",
            (_, RoomPresence room) => room.Users.Count == 0 ? $"nobody is in {room.Room}" : $"in {room.Room}: {string.Join(", ", room.Users)}",
            (_, UserPresence { Online: true } user) => $"{user.User} is online ({Count(user.Connections, "connection")})",
            (_, UserPresence user) => $"{user.User} is offline",
            _ => "done",
        };
        Write(ConsoleColor.DarkGray, text);
    }

    public void Help(string text) => Write(ConsoleColor.Gray, text);

    public void Fatal(string code, string message) => Write(ConsoleColor.Red, $"! {code}: {message}");

    /// <summary>A header, then one line per message with when it was sent, oldest first.</summary>
    private void WriteHistory(ChatCommand command, ChatHistory history)
    {
        var what = command.Kind == CommandKind.DirectHistory ? "direct messages to you" : command.Name;
        var lines = new List<string>
        {
            history.Messages.Count == 0 ? $"no stored messages: {what}" : $"history, {what}: {Count(history.Messages.Count, "message")}, oldest first",
        };
        lines.AddRange(history.Messages.Select(message => $"  {message.Timestamp.ToLocalTime():yyyy-MM-dd HH:mm:ss} {Line(message)}"));
        Write(ConsoleColor.Gray, string.Join(Environment.NewLine, lines));
    }

    /// <summary>A message's place, sender and text; a backend's system sender in brackets, never like a user.</summary>
    private static string Line(MessageReceived message) =>
        $"{Where(message.To)}{(message.FromSystem is { } system ? $"[{system}]" : message.FromUser)}: {Text(message.Body)}";

    private static string Where(ChatTarget to) => to.Kind switch
    {
        ChatTargetKind.Room => $"[{to.Value}] ",
        ChatTargetKind.Everyone => "[everyone] ",
        ChatTargetKind.Connection => "[to this connection] ",
        _ => "[direct] ",
    };

    /// <summary>A string body as it is, <c>{"text": …}</c> as its text, anything else as JSON.</summary>
    private static string Text(JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.String => body.GetString()!,
        JsonValueKind.Object when body.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String => text.GetString()!,
        _ => body.GetRawText(),
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private void Write(ConsoleColor colour, string line)
    {
        lock (_lock)
        {
            if (_colour)
            {
                Console.ForegroundColor = colour;
            }

            output.WriteLine(line);
            if (_colour)
            {
                Console.ResetColor();
            }

            output.Flush();
        }
    }
}
