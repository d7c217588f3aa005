using System.Globalization;
using System.Text.Json;

namespace ChatPlatform.Client.Connections;

/// <summary>
/// Sends a client's requests: numbers them, in one sequence across all its connections, and
/// refuses a frame larger than the client may send before anything goes out.
/// </summary>
internal sealed class RequestSender(ChatClientOptions options)
{
    private long _nextRequestId;

    /// <summary>Sends the frame <paramref name="frame"/> builds for a fresh request id on <paramref name="connection"/>, and waits for its answer.</summary>
    /// <exception cref="ChatException"><c>too_large</c>, thrown before sending; else as <see cref="GatewayConnection.RequestAsync"/>.</exception>
    public Task<JsonElement> SendAsync(GatewayConnection connection, Func<string, byte[]> frame, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextRequestId).ToString(CultureInfo.InvariantCulture);
        var bytes = frame(id);
        if (bytes.Length > options.MaxFrameBytes)
        {
            throw new ChatException(ChatErrorCodes.TooLarge, $"the frame is {bytes.Length} bytes; the limit is {options.MaxFrameBytes}");
        }

        return connection.RequestAsync(id, bytes, options.RequestTimeout, cancellationToken);
    }
}
