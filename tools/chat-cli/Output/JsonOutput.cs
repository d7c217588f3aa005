using System.Text.Json;
using ChatPlatform.Cli.Sessions;
using ChatPlatform.Client;
using ChatPlatform.Client.Events;
using ChatPlatform.Protocol;

namespace ChatPlatform.Cli.Output;

/// <summary>
/// One JSON object a line per event, for scripts (docs/clients.md, "Scripting"). Answers to
/// commands carry the command's line number and text. What mirrors a frame of the wire protocol
/// (a message, an ack, an error…) has the frame's type as its event and writes its target as
/// the frame's <c>to</c>.
/// </summary>
internal sealed class JsonOutput(Stream stdout) : ISessionOutput
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Lock _lock = new();

    public void Event(ChatEvent chatEvent) => Write(writer =>
    {
        switch (chatEvent)
        {
            case Connected connected:
                writer.WriteString("event", "connected");
                WriteSession(writer, connected.Session);
                break;
            case MessageReceived message:
                writer.WriteString("event", FrameTypes.Message);
                WriteMessage(writer, message);
                break;
            case Recovered recovered:
                writer.WriteString("event", FrameTypes.Recovered);
                WriteStrings(writer, "rooms", recovered.Rooms);
                writer.WriteNumber("messages", recovered.Messages);
                writer.WriteBoolean("complete", recovered.Complete);
                break;
            case UserJoined joined:
                writer.WriteString("event", FrameTypes.Joined);
                writer.WriteString("room", joined.Room);
                writer.WriteString("user", joined.User);
                break;
            case UserLeft left:
                writer.WriteString("event", FrameTypes.Left);
                writer.WriteString("room", left.Room);
                writer.WriteString("user", left.User);
                break;
            case Disconnected disconnected:
                writer.WriteString("event", "disconnected");
                writer.WriteString("reason", disconnected.Reason);
                if (disconnected.CloseStatus is { } status)
                {
                    writer.WriteNumber("closeStatus", (int)status);
                }

                writer.WriteBoolean("reconnect", disconnected.WillReconnect);
                break;
            case Reconnecting reconnecting:
                writer.WriteString("event", "reconnecting");
                writer.WriteNumber("attempt", reconnecting.Attempt);
                writer.WriteNumber("delayMs", (long)reconnecting.Delay.TotalMilliseconds);
                writer.WriteString("url", reconnecting.Url.ToString());
                writer.WriteString("lastError", reconnecting.LastError);
                break;
            case Reconnected reconnected:
                writer.WriteString("event", "reconnected");
                WriteSession(writer, reconnected.Session);
                WriteStrings(writer, "rooms", reconnected.Rooms);
                break;
            case RejoinFailed failed:
                writer.WriteString("event", "rejoin_failed");
                writer.WriteString("room", failed.Room);
                writer.WriteString("code", failed.Code);
                writer.WriteString("message", failed.Message);
                break;
            case ErrorReceived error:
                writer.WriteString("event", FrameTypes.Error);
                writer.WriteString("code", error.Code);
                writer.WriteString("message", error.Message);
                break;
        }
    });

    public void Outcome(CommandOutcome outcome) => Write(writer =>
    {
        var command = outcome.Command;
        if (outcome.Error is { } error)
        {
            writer.WriteString("event", FrameTypes.Error);
            WriteCommand(writer, command);
            writer.WriteString("code", error.Code);
            writer.WriteString("message", error.Message);
            return;
        }

        switch (outcome.Answer)
        {
            case SendResult sent:
                writer.WriteString("event", FrameTypes.Ack);
                WriteCommand(writer, command);
                writer.WriteString("message", sent.MessageId);
                writer.WriteNumber("recipients", sent.Recipients);
                writer.WriteBoolean("stored", sent.Stored);
                break;
            case ChatHistory history:
                writer.WriteString("event", FrameTypes.History);
                WriteCommand(writer, command);
                writer.WriteString("stream", history.Stream);
                writer.WriteString("epoch", history.Epoch);
                writer.WriteStartArray("messages");
                foreach (var message in history.Messages)
                {
                    writer.WriteStartObject();
                    WriteMessage(writer, message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case RoomPresence room:
                writer.WriteString("event", FrameTypes.Presence);
                WriteCommand(writer, command);
                writer.WriteString("room", room.Room);
                WriteStrings(writer, "users", room.Users);
                break;
            case UserPresence user:
                writer.WriteString("event", FrameTypes.Presence);
                WriteCommand(writer, command);
                writer.WriteString("user", user.User);
                writer.WriteBoolean("online", user.Online);
                writer.WriteNumber("connections", user.Connections);
                break;
            case string room:
                writer.WriteString("event", FrameTypes.Ack);
                WriteCommand(writer, command);
                writer.WriteString("room", room);
                break;
        }
    });

    public void Help(string text) => Write(writer =>
    {
        writer.WriteString("event", "help");
        writer.WriteString("text", text);
    });

    public void Fatal(string code, string message) => Write(writer =>
    {
        writer.WriteString("event", "fatal");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
    });

    private static string TargetField(ChatTargetKind kind) => kind switch
    {
        ChatTargetKind.User => TargetFields.User,
        ChatTargetKind.Connection => TargetFields.Connection,
        ChatTargetKind.Room => TargetFields.Room,
        _ => TargetFields.Everyone,
    };

    /// <summary>
    /// A message's fields as its frame has them: <c>from</c> a user and connection, or a backend's
    /// <c>system</c> sender; <c>recovered</c> always, <c>stream</c> and <c>offset</c> when it is stored.
    /// </summary>
    private static void WriteMessage(Utf8JsonWriter writer, MessageReceived message)
    {
        writer.WriteString("message", message.MessageId);
        writer.WriteStartObject("from");
        if (message.FromSystem is { } system)
        {
            writer.WriteString("system", system);
        }
        else
        {
            writer.WriteString("user", message.FromUser);
            writer.WriteString("connection", message.FromConnection);
        }

        writer.WriteEndObject();
        FrameWriter.WriteTarget(writer, TargetField(message.To.Kind), message.To.Value);
        writer.WritePropertyName("body");
        message.Body.WriteTo(writer);
        writer.WriteNumber("ts", message.Timestamp.ToUnixTimeMilliseconds());
        if (message.Stream is { } stream && message.Offset is { } offset)
        {
            writer.WriteString("stream", stream);
            writer.WriteNumber("offset", offset);
        }

        writer.WriteBoolean("recovered", message.Recovered);
    }

    private static void WriteCommand(Utf8JsonWriter writer, ChatCommand command)
    {
        writer.WriteNumber("line", command.Line);
        writer.WriteString("command", command.Text);
    }

    private static void WriteSession(Utf8JsonWriter writer, ChatSession session)
    {
        writer.WriteString("connection", session.ConnectionId);
        writer.WriteString("user", session.User);
        writer.WriteString("gateway", session.Gateway);
        writer.WriteString("url", session.Url.ToString());
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private void Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        buffer.Write(NewLine);
        lock (_lock)
        {
            stdout.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            stdout.Flush();
        }
    }
}
