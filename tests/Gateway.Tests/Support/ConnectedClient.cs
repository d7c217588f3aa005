using System.Net.WebSockets;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>A <see cref="ClientConnection"/> whose sender loop runs over a <see cref="WebSocketPair"/>, and the client end to read from.</summary>
internal sealed class ConnectedClient : IAsyncDisposable
{
    private readonly WebSocketPair _pair;

    private ConnectedClient(ClientConnection connection, WebSocketPair pair, byte[] welcome)
    {
        Connection = connection;
        _pair = pair;
        Welcome = welcome;
        Sender = connection.RunSenderAsync(pair.Server, welcome);
    }

    public ClientConnection Connection { get; }

    public Task Sender { get; }

    public byte[] Welcome { get; }

    public WebSocket Client => _pair.Client;

    public static ConnectedClient Start(string id = "c-1", string user = "alice", int queueCapacity = 64, WebSocketPair? pair = null) =>
        Start(new ClientConnection(id, user, queueCapacity, TimeSpan.FromSeconds(30)), pair ?? WebSocketPair.Create());

    public static ConnectedClient Start(ClientConnection connection, WebSocketPair pair) =>
        new(connection, pair, ServerFrames.Welcome(connection.Id, connection.UserId, "gw-test", "session"));

    public Task<Received> ReceiveAsync() => Received.FromAsync(_pair.Client);

    /// <summary>Reads past the welcome frame, checking it is the first.</summary>
    public async Task SkipWelcomeAsync()
    {
        var first = await ReceiveAsync();
        Assert.Equal(Welcome, first.Data);
    }

    /// <summary>Closes after what is queued and checks that nothing else was queued: the close frame comes next.</summary>
    public async Task AssertNothingMoreAsync()
    {
        Connection.Close(WebSocketCloseStatus.NormalClosure, "end of test", drain: true);
        var next = await ReceiveAsync();
        Assert.True(next.Type == WebSocketMessageType.Close, $"Expected nothing more, got: {next.Text}");
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Abort();
        await Sender.WaitAsync(Received.Timeout);
        _pair.Dispose();
    }
}
