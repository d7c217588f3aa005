namespace ChatPlatform.Contracts.Registry;

/// <summary>
/// One change to the connection registry, published by presence on
/// <see cref="RedisNames.RegistryChanges"/> in the same Redis script that makes the change, so
/// every subscriber sees changes in the order they were made, and before any message published
/// after them.
/// </summary>
/// <param name="Sequence">Increases by one per change; a gap means changes were missed.</param>
/// <param name="ConnectionId">Null for <see cref="RegistryChangeKind.GatewayRemoved"/>.</param>
/// <param name="UserId">Null for <see cref="RegistryChangeKind.GatewayRemoved"/>.</param>
/// <param name="Room">Set for <see cref="RegistryChangeKind.RoomJoined"/> and <see cref="RegistryChangeKind.RoomLeft"/>.</param>
public sealed record RegistryChange(
    long Sequence,
    RegistryChangeKind Kind,
    string GatewayId,
    string? ConnectionId = null,
    string? UserId = null,
    string? Room = null);
