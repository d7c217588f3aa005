using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Router.Registry;

/// <summary>
/// The registry's contents indexed for routing: by connection, by user, by room and by
/// gateway, with the per-gateway counts a message needs precomputed on change (changes are
/// rare next to messages). Not thread-safe.
/// </summary>
internal sealed class RegistryState
{
    private readonly Dictionary<string, ConnectionEntry> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tally> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomEntry> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _gateways = new(StringComparer.Ordinal);
    private GatewayRecipients[]? _everyone;

    public int ConnectionCount => _connections.Count;

    public int UserCount => _users.Count;

    public int RoomCount => _rooms.Count;

    public void Apply(RegistryChange change)
    {
        switch (change.Kind)
        {
            case RegistryChangeKind.ConnectionAdded:
                Add(change.GatewayId, change.ConnectionId!, change.UserId!);
                break;
            case RegistryChangeKind.ConnectionRemoved:
                Remove(change.ConnectionId!);
                break;
            case RegistryChangeKind.GatewayRemoved:
                RemoveGateway(change.GatewayId);
                break;
            case RegistryChangeKind.RoomJoined:
                Join(change.ConnectionId!, change.Room!);
                break;
            case RegistryChangeKind.RoomLeft:
                Leave(change.ConnectionId!, change.Room!);
                break;
        }
    }

    public void Add(string gatewayId, string connectionId, string userId)
    {
        if (_connections.TryGetValue(connectionId, out var existing))
        {
            if (existing.GatewayId == gatewayId && existing.UserId == userId)
            {
                return;
            }

            Remove(connectionId);
        }

        _connections.Add(connectionId, new ConnectionEntry(userId, gatewayId));
        Tally.Add(_users, userId, gatewayId);
        if (!_gateways.TryGetValue(gatewayId, out var gateway))
        {
            _gateways.Add(gatewayId, gateway = new HashSet<string>(StringComparer.Ordinal));
        }

        gateway.Add(connectionId);
        _everyone = null;
    }

    public void Remove(string connectionId)
    {
        if (!_connections.Remove(connectionId, out var entry))
        {
            return;
        }

        LeaveAll(connectionId, entry);
        Tally.Remove(_users, entry.UserId, entry.GatewayId);
        var gateway = _gateways[entry.GatewayId];
        gateway.Remove(connectionId);
        if (gateway.Count == 0)
        {
            _gateways.Remove(entry.GatewayId);
        }

        _everyone = null;
    }

    public void RemoveGateway(string gatewayId)
    {
        if (!_gateways.Remove(gatewayId, out var connections))
        {
            return;
        }

        foreach (var connectionId in connections)
        {
            var entry = _connections.Remove(connectionId, out var removed) ? removed : throw new InvalidOperationException("Registry indexes disagree.");
            LeaveAll(connectionId, entry);
            Tally.Remove(_users, entry.UserId, gatewayId);
        }

        _everyone = null;
    }

    /// <summary>Makes a registered connection a member of the room; ignores unknown connections.</summary>
    public void Join(string connectionId, string room)
    {
        if (!_connections.TryGetValue(connectionId, out var entry) || !(entry.Rooms ??= new HashSet<string>(StringComparer.Ordinal)).Add(room))
        {
            return;
        }

        if (!_rooms.TryGetValue(room, out var members))
        {
            _rooms.Add(room, members = new RoomEntry());
        }

        members.Gateways.Add(entry.GatewayId);
        members.Users.Add(entry.UserId);
    }

    public void Leave(string connectionId, string room)
    {
        if (_connections.TryGetValue(connectionId, out var entry) && entry.Rooms?.Remove(room) == true)
        {
            LeaveRoom(room, entry);
        }
    }

    /// <summary>
    /// The gateways holding the target's connections and how many each holds; empty when no one
    /// is there. A room or everyone leaves out <paramref name="senderConnectionId"/>, and a
    /// gateway left with no recipient is left out too.
    /// </summary>
    public IReadOnlyList<GatewayRecipients> Resolve(MessageTarget target, string senderConnectionId)
    {
        switch (target.Kind)
        {
            case TargetKind.User:
                return _users.TryGetValue(target.Value, out var user) ? user.Recipients : [];
            case TargetKind.Connection:
                return _connections.TryGetValue(target.Value, out var connection) ? connection.Recipients : [];
            case TargetKind.Room:
                var room = _rooms.TryGetValue(target.Value, out var members) ? members.Gateways.Recipients : [];
                return _connections.TryGetValue(senderConnectionId, out var sender) && sender.Rooms?.Contains(target.Value) == true
                    ? Without(room, sender.GatewayId)
                    : room;
            case TargetKind.Everyone:
                _everyone ??= [.. _gateways.Select(pair => new GatewayRecipients(pair.Key, pair.Value.Count))];
                return _connections.TryGetValue(senderConnectionId, out var self) ? Without(_everyone, self.GatewayId) : _everyone;
            default:
                return [];
        }
    }

    /// <summary>How many connections the user has, on all gateways.</summary>
    public int ConnectionsOf(string userId) => _users.TryGetValue(userId, out var user) ? user.Total : 0;

    /// <summary>The room's member connections and its members' user ids, sorted ordinally.</summary>
    public (int Connections, string[] Users) MembersOf(string room)
    {
        if (!_rooms.TryGetValue(room, out var members))
        {
            return (0, []);
        }

        var users = members.Users.Keys.ToArray();
        Array.Sort(users, StringComparer.Ordinal);
        return (members.Gateways.Total, users);
    }

    private void LeaveAll(string connectionId, ConnectionEntry entry)
    {
        foreach (var room in entry.Rooms ?? [])
        {
            LeaveRoom(room, entry);
        }

        entry.Rooms = null;
    }

    private void LeaveRoom(string room, ConnectionEntry entry)
    {
        var members = _rooms[room];
        members.Gateways.Remove(entry.GatewayId);
        if (members.Users.Remove(entry.UserId) && members.Gateways.Total == 0)
        {
            _rooms.Remove(room);
        }
    }

    /// <summary>A copy of <paramref name="recipients"/> with one connection fewer on <paramref name="gatewayId"/>.</summary>
    private static GatewayRecipients[] Without(IReadOnlyList<GatewayRecipients> recipients, string gatewayId)
    {
        var result = new List<GatewayRecipients>(recipients.Count);
        foreach (var recipient in recipients)
        {
            var connections = recipient.GatewayId == gatewayId ? recipient.Connections - 1 : recipient.Connections;
            if (connections > 0)
            {
                result.Add(recipient with { Connections = connections });
            }
        }

        return [.. result];
    }

    private sealed class ConnectionEntry(string userId, string gatewayId)
    {
        public string UserId { get; } = userId;

        public string GatewayId { get; } = gatewayId;

        /// <summary>Allocated once, so routing to a connection allocates nothing.</summary>
        public GatewayRecipients[] Recipients { get; } = [new(gatewayId, 1)];

        /// <summary>The rooms it is in; null until it joins one.</summary>
        public HashSet<string>? Rooms { get; set; }
    }

    private sealed class RoomEntry
    {
        /// <summary>Member connections per gateway.</summary>
        public Tally Gateways { get; } = new();

        /// <summary>Member connections per user.</summary>
        public Tally Users { get; } = new();
    }
}
