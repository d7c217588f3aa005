using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Router.Registry;

/// <summary>
/// The router's in-memory copy of the connection registry, so routing a message costs no network
/// round trip. It is fed by the registry change stream, whose changes are applied before any
/// inbound message that reached the router after them (<see cref="RegistrySynchronizer.CatchUp"/>):
/// a connection registered before a message was published is in the cache before that message
/// is routed.
/// Changes must arrive in sequence order; <see cref="Apply"/> reports a gap, and the owner then
/// reloads the registry with <see cref="BeginResync"/> and <see cref="CompleteResync"/>, while
/// changes keep being applied.
/// </summary>
internal sealed class RegistryCache
{
    private readonly Lock _gate = new();
    private RegistryState _state = new();
    private List<RegistryChange>? _changesDuringResync;
    private long? _lastSequence;

    public int ConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _state.ConnectionCount;
            }
        }
    }

    public int RoomCount
    {
        get
        {
            lock (_gate)
            {
                return _state.RoomCount;
            }
        }
    }

    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _state.UserCount;
            }
        }
    }

    /// <returns>False when changes were missed before this one: the cache needs a resync.</returns>
    public bool Apply(RegistryChange change)
    {
        lock (_gate)
        {
            var inSequence = _lastSequence is not { } last || change.Sequence == last + 1;
            _lastSequence = change.Sequence;
            _state.Apply(change);
            _changesDuringResync?.Add(change);
            return inSequence;
        }
    }

    /// <summary>Starts recording changes to replay on top of the snapshot about to be read.</summary>
    public void BeginResync()
    {
        lock (_gate)
        {
            _changesDuringResync = [];
            _lastSequence = null;
        }
    }

    /// <summary>
    /// Replaces the contents with <paramref name="snapshot"/>, read after <see cref="BeginResync"/>,
    /// plus every change since. Replaying is safe because connection ids are never reused: each
    /// change is idempotent and the last one about a connection wins.
    /// </summary>
    public void CompleteResync(IEnumerable<RegistryEntry> snapshot, IEnumerable<MembershipEntry> memberships)
    {
        var state = new RegistryState();
        foreach (var entry in snapshot)
        {
            state.Add(entry.GatewayId, entry.ConnectionId, entry.UserId);
        }

        // Members whose connection is not in the snapshot belong to a removed gateway still being cleaned up.
        foreach (var membership in memberships)
        {
            state.Join(membership.ConnectionId, membership.Room);
        }

        lock (_gate)
        {
            foreach (var change in _changesDuringResync ?? [])
            {
                state.Apply(change);
            }

            _state = state;
            _changesDuringResync = null;
        }
    }

    /// <inheritdoc cref="RegistryState.Resolve"/>
    public IReadOnlyList<GatewayRecipients> Resolve(MessageTarget target, string senderConnectionId)
    {
        lock (_gate)
        {
            return _state.Resolve(target, senderConnectionId);
        }
    }

    /// <summary>Answers who is online: a user's connection count, or a room's members.</summary>
    public PresenceAnswer Answer(PresenceQuery query)
    {
        lock (_gate)
        {
            if (query.Target.Kind == TargetKind.Room)
            {
                var (connections, users) = _state.MembersOf(query.Target.Value);
                return new PresenceAnswer(query.QueryId, query.ConnectionId, connections, users);
            }

            return new PresenceAnswer(query.QueryId, query.ConnectionId, _state.ConnectionsOf(query.Target.Value), []);
        }
    }
}
