using System.Net.WebSockets;

namespace ChatPlatform.Client.Connections;

/// <summary>Whole WebSocket messages, however many frames they come in.</summary>
internal static class WebSocketMessages
{
    /// <summary>Reads one whole message, growing the buffer as needed.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Buffer, int Length)> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, buffer, length);
            }
        }
    }
}
