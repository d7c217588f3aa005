using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Router.Registry;

/// <summary>
/// The registry's contents indexed for routing: by connection, by user (with the per-gateway
/// counts a message to the user needs, precomputed on change) and by gateway. Not thread-safe.
/// </summary>
internal sealed class RegistryState
{
    private readonly Dictionary<string, ConnectionEntry> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _gateways = new(StringComparer.Ordinal);

    public int ConnectionCount => _connections.Count;

    public int UserCount => _users.Count;

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
        if (!_users.TryGetValue(userId, out var user))
        {
            _users.Add(userId, user = new UserEntry());
        }

        user.Add(gatewayId);
        if (!_gateways.TryGetValue(gatewayId, out var gateway))
        {
            _gateways.Add(gatewayId, gateway = new HashSet<string>(StringComparer.Ordinal));
        }

        gateway.Add(connectionId);
    }

    public void Remove(string connectionId)
    {
        if (!_connections.Remove(connectionId, out var entry))
        {
            return;
        }

        var user = _users[entry.UserId];
        if (user.Remove(entry.GatewayId))
        {
            _users.Remove(entry.UserId);
        }

        var gateway = _gateways[entry.GatewayId];
        gateway.Remove(connectionId);
        if (gateway.Count == 0)
        {
            _gateways.Remove(entry.GatewayId);
        }
    }

    public void RemoveGateway(string gatewayId)
    {
        if (!_gateways.Remove(gatewayId, out var connections))
        {
            return;
        }

        foreach (var connectionId in connections)
        {
            var userId = _connections.Remove(connectionId, out var entry) ? entry.UserId : throw new InvalidOperationException("Registry indexes disagree.");
            var user = _users[userId];
            if (user.Remove(gatewayId))
            {
                _users.Remove(userId);
            }
        }
    }

    /// <summary>The gateways holding the target's connections; empty when it is offline.</summary>
    public IReadOnlyList<GatewayRecipients> Resolve(MessageTarget target) => target.Kind switch
    {
        TargetKind.User => _users.TryGetValue(target.Value, out var user) ? user.Recipients : [],
        TargetKind.Connection => _connections.TryGetValue(target.Value, out var connection) ? connection.Recipients : [],
        _ => [],
    };

    private sealed class ConnectionEntry(string userId, string gatewayId)
    {
        public string UserId { get; } = userId;

        public string GatewayId { get; } = gatewayId;

        /// <summary>Allocated once, so routing to a connection allocates nothing.</summary>
        public GatewayRecipients[] Recipients { get; } = [new(gatewayId, 1)];
    }

    private sealed class UserEntry
    {
        private readonly Dictionary<string, int> _perGateway = new(StringComparer.Ordinal);

        /// <summary>Rebuilt on every change, which is rare next to messages to the user.</summary>
        public GatewayRecipients[] Recipients { get; private set; } = [];

        public void Add(string gatewayId)
        {
            _perGateway[gatewayId] = _perGateway.GetValueOrDefault(gatewayId) + 1;
            Rebuild();
        }

        /// <returns>True when the user has no connection left.</returns>
        public bool Remove(string gatewayId)
        {
            var count = _perGateway[gatewayId] - 1;
            if (count == 0)
            {
                _perGateway.Remove(gatewayId);
            }
            else
            {
                _perGateway[gatewayId] = count;
            }

            Rebuild();
            return _perGateway.Count == 0;
        }

        private void Rebuild() =>
            Recipients = [.. _perGateway.Select(pair => new GatewayRecipients(pair.Key, pair.Value))];
    }
}
