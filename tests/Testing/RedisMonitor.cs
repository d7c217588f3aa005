using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatPlatform.Testing;

/// <summary>
/// Watches every command a Redis server executes (<c>MONITOR</c>), so a test can count what the
/// services really did, such as how many publishes one message cost.
/// </summary>
public sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private readonly ConcurrentQueue<string> _commands = new();
    private Task _reading = Task.CompletedTask;

    private RedisMonitor()
    {
    }

    public static async Task<RedisMonitor> StartAsync(RedisServer redis)
    {
        var monitor = new RedisMonitor();
        await monitor._client.ConnectAsync(IPAddress.Loopback, redis.Port);
        var stream = monitor._client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.Latin1);
        if (await reader.ReadLineAsync() != "+OK")
        {
            throw new InvalidOperationException("Redis refused MONITOR.");
        }

        monitor._reading = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    monitor._commands.Enqueue(line);
                }
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // Stopped.
            }
        });
        return monitor;
    }

    /// <summary>
    /// Commands seen so far, as Redis prints them:
    /// <c>1700000000.123456 [0 127.0.0.1:5000] "PUBLISH" "chat:gw:gateway-1" "\x02\x01…"</c>.
    /// </summary>
    public IReadOnlyCollection<string> Commands => _commands;

    /// <summary>PUBLISH commands to channels starting with <paramref name="channelPrefix"/> whose payload starts with <paramref name="firstByte"/>.</summary>
    public int CountPublishes(string channelPrefix, byte firstByte)
    {
        var marker = $"\"PUBLISH\" \"{channelPrefix}";
        var payload = $"\" \"\\x{firstByte:x2}";
        return _commands.Count(line => line.Contains(marker, StringComparison.Ordinal) && line.Contains(payload, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _reading;
    }
}
