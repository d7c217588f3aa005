using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ChatPlatform.Testing;

/// <summary>
/// A client that performs the WebSocket upgrade and then does nothing at all: it never reads,
/// so it never answers a ping and lets whatever the server sends pile up. It stands in for a
/// stalled client, or a peer whose machine vanished without closing the connection.
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket;

    private RawWebSocket(Socket socket) => _socket = socket;

    /// <param name="receiveBuffer">Kernel receive buffer in bytes: small, so a stall fills up quickly.</param>
    public static async Task<RawWebSocket> ConnectAsync(Uri uri, int receiveBuffer = 4096)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBuffer };
        await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{uri.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));

        // Read just the response head, byte by byte, so nothing after it is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(one, timeout.Token) == 0)
            {
                throw new IOException("The server closed the connection during the upgrade.");
            }

            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            socket.Dispose();
            throw new IOException($"Upgrade refused: {head.ToString().Split("\r\n")[0]}");
        }

        return new RawWebSocket(socket);
    }

    /// <summary>Sends one text frame (masked, as a client must), then goes back to doing nothing.</summary>
    public async Task SendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        if (payload.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Frames this client sends are short.", nameof(text));
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new List<byte> { 0x81 };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.AddRange([0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }

        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        await _socket.SendAsync(frame.ToArray());
    }

    public void Dispose() => _socket.Dispose();
}
