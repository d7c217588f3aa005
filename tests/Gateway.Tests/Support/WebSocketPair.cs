using System.IO.Pipelines;
using System.Net.WebSockets;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>
/// A server and a client WebSocket joined by in-memory pipes: the real framing, masking and
/// close handshake of the runtime's WebSocket, without a network.
/// </summary>
internal sealed class WebSocketPair : IDisposable
{
    private WebSocketPair(Pipe toClient, Pipe toServer)
    {
        ServerStream = new DuplexPipeStream(toServer.Reader, toClient.Writer);
        ClientStream = new DuplexPipeStream(toClient.Reader, toServer.Writer);

        // No keep-alive pings: tests see exactly the frames the code under test sends.
        Server = WebSocket.CreateFromStream(ServerStream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        Client = WebSocket.CreateFromStream(ClientStream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public DuplexPipeStream ServerStream { get; }

    public DuplexPipeStream ClientStream { get; }

    public static WebSocketPair Create() => new(new Pipe(), new Pipe());

    /// <summary>
    /// A pair whose server can get only about <paramref name="bytes"/> ahead of a client that
    /// does not read, after which its sends wait.
    /// </summary>
    public static WebSocketPair WithServerBacklogLimit(long bytes) =>
        new(new Pipe(new PipeOptions(pauseWriterThreshold: bytes, resumeWriterThreshold: bytes / 2)), new Pipe());

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        ServerStream.Dispose();
        ClientStream.Dispose();
    }
}
