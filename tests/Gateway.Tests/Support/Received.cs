using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>One whole message as the client received it, or the close frame.</summary>
internal sealed record Received(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus, string? CloseReason)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const int MaxMessageBytes = 1024 * 1024;

    public string Text => Encoding.UTF8.GetString(Data);

    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Data);

    /// <summary>Reads the next message, failing the test if none comes within <see cref="Timeout"/>.</summary>
    public static async Task<Received> FromAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (message.Length <= MaxMessageBytes)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new Received(WebSocketMessageType.Close, [], socket.CloseStatus, socket.CloseStatusDescription);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return new Received(result.MessageType, message.ToArray(), null, null);
            }
        }

        throw new InvalidOperationException($"A message longer than {MaxMessageBytes} bytes.");
    }
}
