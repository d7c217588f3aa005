using System.Collections.Concurrent;
using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.Connections;

/// <summary>
/// The connections this gateway holds, by id and by user. Lookups for delivery take no lock:
/// each user's connections are an array replaced on change.
/// </summary>
internal sealed class LocalConnections
{
    private readonly ConcurrentDictionary<string, ClientConnection> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection[]> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _userGate = new();

    public int Count => _byId.Count;

    public ICollection<ClientConnection> All => _byId.Values;

    public void Add(ClientConnection connection)
    {
        _byId[connection.Id] = connection;
        lock (_userGate)
        {
            _byUser[connection.UserId] = _byUser.TryGetValue(connection.UserId, out var existing)
                ? [.. existing, connection]
                : connection.Self;
        }
    }

    public void Remove(ClientConnection connection)
    {
        if (!_byId.TryRemove(connection.Id, out _))
        {
            return;
        }

        lock (_userGate)
        {
            if (!_byUser.TryGetValue(connection.UserId, out var existing))
            {
                return;
            }

            ClientConnection[] remaining = [.. existing.Where(other => other != connection)];
            if (remaining.Length == 0)
            {
                _byUser.TryRemove(connection.UserId, out _);
            }
            else
            {
                _byUser[connection.UserId] = remaining;
            }
        }
    }

    /// <summary>The local connections a message to <paramref name="target"/> goes to.</summary>
    public IReadOnlyList<ClientConnection> Resolve(MessageTarget target) => target.Kind switch
    {
        TargetKind.User => _byUser.TryGetValue(target.Value, out var connections) ? connections : [],
        TargetKind.Connection => _byId.TryGetValue(target.Value, out var connection) ? connection.Self : [],
        _ => [],
    };
}
