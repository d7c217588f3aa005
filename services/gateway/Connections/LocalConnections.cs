using System.Collections.Concurrent;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Gateways;

namespace ChatPlatform.Gateway.Connections;

/// <summary>
/// The connections this gateway holds, by id, by user and by room. Lookups for delivery take
/// no lock: each user's and each room's connections are an array replaced on change.
/// </summary>
internal sealed class LocalConnections
{
    private readonly ConcurrentDictionary<string, ClientConnection> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection[]> _byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection[]> _byRoom = new(StringComparer.Ordinal);

    // Guards changes to the arrays above, every connection's room set, and the sequence.
    private readonly Lock _gate = new();
    private long _sequence;

    public int Count => _byId.Count;

    /// <summary>Connections presence has confirmed.</summary>
    public int RegisteredCount => _byId.Values.Count(connection => connection.IsRegistered);

    public ICollection<ClientConnection> All => _byId.Values;

    /// <summary>Adds the connection and gives it the next <see cref="ClientConnection.Sequence"/>.</summary>
    public void Add(ClientConnection connection)
    {
        lock (_gate)
        {
            connection.Sequence = ++_sequence;
            _byId[connection.Id] = connection;
            Append(_byUser, connection.UserId, connection);
        }
    }

    /// <summary>
    /// Every connection with its rooms, and the highest sequence given out so far. Taken under
    /// the same lock as <see cref="Add"/>, <see cref="Join"/> and <see cref="Leave"/>, so the list
    /// holds every connection and membership change up to that sequence, and none after it.
    /// </summary>
    public (long UpToSequence, List<GatewayConnection> Connections) Report()
    {
        lock (_gate)
        {
            return (_sequence, [.. _byId.Values.Select(connection =>
                new GatewayConnection(connection.Id, connection.UserId, connection.Sequence, [.. connection.Rooms]))]);
        }
    }

    /// <summary>Forgets the connection, and its room memberships.</summary>
    public void Remove(ClientConnection connection)
    {
        if (!_byId.TryRemove(connection.Id, out _))
        {
            return;
        }

        lock (_gate)
        {
            Without(_byUser, connection.UserId, connection);
            foreach (var room in connection.Rooms)
            {
                Without(_byRoom, room, connection);
            }

            connection.Rooms.Clear();
        }
    }

    /// <summary>Makes the connection a member here; the change gets the next sequence, for presence.</summary>
    /// <returns>False if it already was a member.</returns>
    public bool Join(ClientConnection connection, string room, out long sequence)
    {
        lock (_gate)
        {
            sequence = 0;
            if (!connection.Rooms.Add(room))
            {
                return false;
            }

            sequence = ++_sequence;
            Append(_byRoom, room, connection);
            return true;
        }
    }

    /// <summary>Ends the connection's membership here; the change gets the next sequence, for presence.</summary>
    /// <returns>False if it was not a member.</returns>
    public bool Leave(ClientConnection connection, string room, out long sequence)
    {
        lock (_gate)
        {
            sequence = 0;
            if (!connection.Rooms.Remove(room))
            {
                return false;
            }

            sequence = ++_sequence;
            Without(_byRoom, room, connection);
            return true;
        }
    }

    public bool IsMember(ClientConnection connection, string room)
    {
        lock (_gate)
        {
            return connection.Rooms.Contains(room);
        }
    }

    public int RoomCount(ClientConnection connection)
    {
        lock (_gate)
        {
            return connection.Rooms.Count;
        }
    }

    /// <summary>
    /// The local connections a message to <paramref name="target"/> goes to. For a room or
    /// everyone this includes the sender's connection, which the caller skips. Everyone is
    /// enumerated live, without a snapshot: the dictionary's enumerator takes no lock.
    /// </summary>
    public IEnumerable<ClientConnection> Resolve(MessageTarget target) => target.Kind switch
    {
        TargetKind.User => _byUser.TryGetValue(target.Value, out var connections) ? connections : [],
        TargetKind.Connection => _byId.TryGetValue(target.Value, out var connection) ? connection.Self : [],
        TargetKind.Room => _byRoom.TryGetValue(target.Value, out var members) ? members : [],
        TargetKind.Everyone => _byId.Select(pair => pair.Value),
        _ => [],
    };

    private static void Append(ConcurrentDictionary<string, ClientConnection[]> index, string key, ClientConnection connection) =>
        index[key] = index.TryGetValue(key, out var existing) ? [.. existing, connection] : connection.Self;

    private static void Without(ConcurrentDictionary<string, ClientConnection[]> index, string key, ClientConnection connection)
    {
        if (!index.TryGetValue(key, out var existing))
        {
            return;
        }

        ClientConnection[] remaining = [.. existing.Where(other => other != connection)];
        if (remaining.Length == 0)
        {
            index.TryRemove(key, out _);
        }
        else
        {
            index[key] = remaining;
        }
    }
}
