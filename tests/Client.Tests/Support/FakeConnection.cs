using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>One connection to a <see cref="FakeGateway"/>.</summary>
public sealed class FakeConnection(WebSocket socket, HttpContext context, int number)
{
    /// <summary>1 for the first connection the gateway accepted.</summary>
    public int Number { get; } = number;

    /// <summary>The query of the upgrade request.</summary>
    public IQueryCollection Query => context.Request.Query;

    public Task SendAsync(object frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next frame from the client, or null once it closed.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, length)).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads and drops frames until the client closes.</summary>
    public async Task IgnoreAllAsync()
    {
        try
        {
            while (await ReceiveAsync() is not null)
            {
            }
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
    }

    public Task CloseAsync(WebSocketCloseStatus status, string description) =>
        socket.CloseOutputAsync(status, description, CancellationToken.None);

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort() => context.Abort();
}
