using System.Text.Json;
using ChatPlatform.Client;
using ChatPlatform.Client.Api;

namespace ChatPlatform.Cli.Api;

/// <summary>
/// What <c>chat api</c> writes: the API's answer as one JSON line on stdout, with the fields the
/// API gives it (docs/api.md); errors as one line on stderr.
/// </summary>
internal static class ApiOutput
{
    /// <summary>A publish's answer, and <c>replayed</c> from the <c>Idempotent-Replayed</c> header.</summary>
    public static void Published(PublishResult result) => Write(writer =>
    {
        writer.WriteString("message", result.MessageId);
        writer.WriteNumber("recipients", result.Recipients);
        writer.WriteBoolean("stored", result.Stored);
        writer.WriteBoolean("replayed", result.Replayed);
    });

    public static void User(UserPresence presence) => Write(writer =>
    {
        writer.WriteString("user", presence.User);
        writer.WriteBoolean("online", presence.Online);
        writer.WriteNumber("connections", presence.Connections);
    });

    public static void Room(RoomPresence presence) => Write(writer =>
    {
        writer.WriteString("room", presence.Room);
        writer.WriteStartArray("users");
        foreach (var user in presence.Users)
        {
            writer.WriteStringValue(user);
        }

        writer.WriteEndArray();
    });

    public static void Connections(int connections) => Write(writer => writer.WriteNumber("connections", connections));

    /// <summary>An error on stderr: the API's code and message, and its HTTP status if it answered.</summary>
    public static void Error(ChatException exception) =>
        Console.Error.WriteLine($"chat api: {exception.Code}: {exception.Message}{(exception.HttpStatus is { } status ? $" (HTTP {status})" : "")}");

    public static void Usage(string message) => Console.Error.WriteLine($"chat api: {message}");

    private static void Write(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
