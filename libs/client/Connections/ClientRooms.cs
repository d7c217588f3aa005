namespace ChatPlatform.Client.Connections;

/// <summary>
/// The rooms a client is in or means to be in (<see cref="ChatClient.Rooms"/>): the rooms a
/// reconnect joins again. Thread-safe; names compare ordinally.
/// </summary>
internal sealed class ClientRooms
{
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);

    public void Add(string room)
    {
        lock (_rooms)
        {
            _rooms.Add(room);
        }
    }

    public void Remove(string room)
    {
        lock (_rooms)
        {
            _rooms.Remove(room);
        }
    }

    public string[] ToArray()
    {
        lock (_rooms)
        {
            return [.. _rooms];
        }
    }

    /// <summary>What a connection that is in <paramref name="joined"/> must join and leave to be in these rooms.</summary>
    public RoomChanges ChangesFrom(IReadOnlyCollection<string> joined)
    {
        lock (_rooms)
        {
            return new RoomChanges(
                [.. _rooms.Where(room => !joined.Contains(room, StringComparer.Ordinal))],
                [.. joined.Where(room => !_rooms.Contains(room))]);
        }
    }
}

/// <summary>The rooms a connection must still join and leave; see <see cref="ClientRooms.ChangesFrom"/>.</summary>
internal readonly record struct RoomChanges(string[] ToJoin, string[] ToLeave)
{
    public bool IsEmpty => ToJoin.Length == 0 && ToLeave.Length == 0;
}
