using ChatPlatform.Contracts.DataPlane;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Router.History;

/// <summary>Which messages are stored, and in which stream: a user's or a room's, unless history is off for it. Messages to one connection or to everyone never are.</summary>
internal sealed class HistoryPolicy(IOptions<HistoryOptions> options)
{
    private readonly HistoryOptions _options = options.Value;

    /// <returns>The stream a message to <paramref name="target"/> is stored in, or null when it is not stored.</returns>
    public string? StreamOf(MessageTarget target) => _options.Enabled ? target.Kind switch
    {
        TargetKind.User => HistoryStreams.OfUser(target.Value),
        TargetKind.Room when !IsDisabled(target.Value) => HistoryStreams.OfRoom(target.Value),
        _ => null,
    } : null;

    private bool IsDisabled(string room)
    {
        foreach (var prefix in _options.DisabledRoomPrefixes)
        {
            if (room.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
