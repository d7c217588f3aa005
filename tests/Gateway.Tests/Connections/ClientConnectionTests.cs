using System.Net.WebSockets;
using System.Text;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.Tests.Support;

namespace ChatPlatform.Gateway.Tests.Connections;

public sealed class ClientConnectionTests
{
    private const string QueueFullReason = "outbound queue full: the client is not reading fast enough";

    [Fact]
    public void A_new_connection_is_open_and_lists_itself()
    {
        var connection = new ClientConnection("c-1", "alice", 16, TimeSpan.FromSeconds(1));

        Assert.Equal("c-1", connection.Id);
        Assert.Equal("alice", connection.UserId);
        Assert.Same(connection, Assert.Single(connection.Self));
        Assert.False(connection.IsClosing);
        Assert.Equal("open", connection.CloseDescription);
    }

    [Fact]
    public async Task The_welcome_goes_first_then_queued_frames_in_order()
    {
        var connection = new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(connection.TrySend(Frame(i)));
        }

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Frame(i), (await client.ReceiveAsync()).Data);
        }

        for (var i = 20; i < 40; i++)
        {
            Assert.True(connection.TrySend(Frame(i)));
        }

        for (var i = 20; i < 40; i++)
        {
            var received = await client.ReceiveAsync();
            Assert.Equal(WebSocketMessageType.Text, received.Type);
            Assert.Equal(Frame(i), received.Data);
        }
    }

    [Fact]
    public async Task Closing_with_drain_sends_the_queued_frames_then_the_close_frame()
    {
        var connection = new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
        {
            connection.TrySend(Frame(i));
        }

        connection.Close(WebSocketCloseStatus.EndpointUnavailable, "gateway shutting down", drain: true);

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Frame(i), (await client.ReceiveAsync()).Data);
        }

        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);
        Assert.Equal("gateway shutting down", close.CloseReason);
        await client.Sender.WaitAsync(Received.Timeout);
        Assert.Equal("1001", connection.CloseDescription);
    }

    [Fact]
    public async Task Closing_a_running_connection_with_drain_sends_what_was_queued_before_the_close()
    {
        await using var client = ConnectedClient.Start();
        await client.SkipWelcomeAsync();

        client.Connection.TrySend(Frame(1));
        client.Connection.TrySend(Frame(2));
        client.Connection.Close(WebSocketCloseStatus.NormalClosure, "done", drain: true);

        Assert.Equal(Frame(1), (await client.ReceiveAsync()).Data);
        Assert.Equal(Frame(2), (await client.ReceiveAsync()).Data);
        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close.CloseStatus);
        Assert.Equal("done", close.CloseReason);
    }

    [Fact]
    public async Task Closing_without_drain_drops_the_queued_frames()
    {
        var connection = new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
        {
            connection.TrySend(Frame(i));
        }

        connection.Close(WebSocketCloseStatus.InternalServerError, "internal error", drain: false);

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, close.CloseStatus);
        Assert.Equal("internal error", close.CloseReason);
    }

    [Fact]
    public async Task Only_the_first_close_counts()
    {
        var connection = new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30));

        connection.Close(WebSocketCloseStatus.EndpointUnavailable, "first", drain: true);
        connection.Close(WebSocketCloseStatus.PolicyViolation, "second", drain: false);

        await using var client = ConnectedClient.Start(connection, WebSocketPair.Create());
        await client.SkipWelcomeAsync();
        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);
        Assert.Equal("first", close.CloseReason);
        Assert.Equal("1001", connection.CloseDescription);
    }

    [Fact]
    public void Frames_are_refused_once_closing_and_do_not_change_how_it_closes()
    {
        var connection = new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30));

        connection.Close(WebSocketCloseStatus.EndpointUnavailable, "gateway shutting down", drain: true);

        Assert.True(connection.IsClosing);
        Assert.False(connection.TrySend(Frame(0)));
        Assert.Equal("1001", connection.CloseDescription);
    }

    [Fact]
    public async Task A_full_queue_refuses_the_frame_and_closes_with_1008_without_blocking_the_caller()
    {
        const int capacity = 16;
        var connection = new ClientConnection("c-1", "alice", capacity, TimeSpan.FromSeconds(30));
        await using var client = ConnectedClient.Start(connection, WebSocketPair.WithServerBacklogLimit(1024));

        // The client reads nothing: the socket backs up, then the queue fills.
        var accepted = await Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (!connection.TrySend(Frame(i, 200)))
                {
                    return i;
                }
            }

            return -1;
        }).WaitAsync(Received.Timeout);

        Assert.InRange(accepted, capacity, 1_000);
        Assert.True(connection.IsClosing);
        Assert.Equal("1008", connection.CloseDescription);
        Assert.False(connection.TrySend(Frame(0, 200)));

        await client.SkipWelcomeAsync();
        var delivered = 0;
        Received next;
        while ((next = await client.ReceiveAsync()).Type == WebSocketMessageType.Text && delivered <= accepted)
        {
            Assert.Equal(Frame(delivered, 200), next.Data);
            delivered++;
        }

        Assert.Equal(WebSocketMessageType.Close, next.Type);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, next.CloseStatus);
        Assert.Equal(QueueFullReason, next.CloseReason);
        Assert.True(delivered < accepted, $"{delivered} of {accepted} queued frames were sent; the queued ones should have been dropped.");
        await client.Sender.WaitAsync(Received.Timeout);
    }

    [Fact]
    public async Task Abort_ends_the_sender_and_refuses_further_frames()
    {
        await using var client = ConnectedClient.Start();
        await client.SkipWelcomeAsync();

        client.Connection.Abort();
        await client.Sender.WaitAsync(Received.Timeout);

        Assert.True(client.Connection.IsClosing);
        Assert.Equal("aborted", client.Connection.CloseDescription);
        Assert.False(client.Connection.TrySend(Frame(0)));
    }

    [Fact]
    public async Task Abort_after_a_close_keeps_the_close_code()
    {
        await using var client = ConnectedClient.Start();
        await client.SkipWelcomeAsync();

        client.Connection.Close(WebSocketCloseStatus.EndpointUnavailable, "gateway shutting down", drain: true);
        client.Connection.Abort();
        await client.Sender.WaitAsync(Received.Timeout);

        Assert.Equal("1001", client.Connection.CloseDescription);
    }

    [Fact]
    public async Task Abort_ends_a_send_the_client_is_not_taking()
    {
        var connection = new ClientConnection("c-1", "alice", 256, TimeSpan.FromSeconds(30));
        await using var client = ConnectedClient.Start(connection, WebSocketPair.WithServerBacklogLimit(1024));
        for (var i = 0; i < 100; i++)
        {
            connection.TrySend(Frame(i, 200));
        }

        connection.Abort();

        await client.Sender.WaitAsync(Received.Timeout);
        Assert.Equal("aborted", connection.CloseDescription);
    }

    [Fact]
    public async Task A_close_the_client_does_not_take_is_given_up_after_the_close_timeout()
    {
        var connection = new ClientConnection("c-1", "alice", 256, TimeSpan.FromMilliseconds(200));
        await using var client = ConnectedClient.Start(connection, WebSocketPair.WithServerBacklogLimit(1024));
        for (var i = 0; i < 100; i++)
        {
            connection.TrySend(Frame(i, 200));
        }

        connection.Close(WebSocketCloseStatus.NormalClosure, "", drain: true);

        await client.Sender.WaitAsync(Received.Timeout);
        Assert.Equal("1000", connection.CloseDescription);
    }

    [Fact]
    public async Task The_sender_ends_quietly_when_the_client_is_gone()
    {
        var pair = WebSocketPair.Create();
        await using var client = ConnectedClient.Start(new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30)), pair);
        await client.SkipWelcomeAsync();

        pair.ClientStream.Dispose();
        client.Connection.TrySend(Frame(0));

        // Completes without throwing, although the socket failed.
        await client.Sender.WaitAsync(Received.Timeout);
    }

    private static byte[] Frame(int index, int size = 0)
    {
        var text = $"{{\"n\":{index},\"pad\":\"";
        return Encoding.UTF8.GetBytes(text + new string('x', Math.Max(0, size - text.Length - 2)) + "\"}");
    }

    [Fact]
    public async Task Abort_stops_the_sender_without_a_close_frame()
    {
        var pair = WebSocketPair.Create();
        await using var client = ConnectedClient.Start(new ClientConnection("c-1", "alice", 64, TimeSpan.FromSeconds(30)), pair);
        await client.SkipWelcomeAsync();

        client.Connection.Abort();
        await client.Sender.WaitAsync(Received.Timeout);

        Assert.True(client.Connection.IsClosing);
        Assert.Equal("aborted", client.Connection.CloseDescription);
        Assert.False(client.Connection.TrySend(Frame(0)));

        // The transport ends with nothing more on it: a close frame would be read as one.
        pair.ServerStream.CompleteOutput();
        var exception = await Assert.ThrowsAsync<WebSocketException>(client.ReceiveAsync);
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, exception.WebSocketErrorCode);
    }
}
