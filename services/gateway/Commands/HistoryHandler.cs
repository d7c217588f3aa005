using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.History;
using ChatPlatform.Gateway.Protocol;
using ChatPlatform.Protocol;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Commands;

/// <summary><c>history</c>: reads a stream's newest stored messages straight from Redis; no router is involved.</summary>
internal sealed class HistoryHandler(IHistoryReader history, ILogger<HistoryHandler> logger)
{
    /// <returns>The error to answer with, or null when answered.</returns>
    public async Task<ProtocolError?> HandleAsync(ClientConnection connection, HistoryCommand command)
    {
        var stream = command.Room is { } room ? HistoryStreams.OfRoom(room) : HistoryStreams.OfUser(connection.UserId);
        StoredPage page;
        try
        {
            page = await history.ReadBeforeAsync(stream, command.Before, command.Limit);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.HistoryReadFailed(logger, connection.Id, exception);
            return new ProtocolError(command.RequestId, ErrorCodes.Unavailable, "history is unavailable");
        }

        connection.TrySend(ServerFrames.History(command.RequestId, stream, page.Epoch, page.Messages));
        return null;
    }
}
