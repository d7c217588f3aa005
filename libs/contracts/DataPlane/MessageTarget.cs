namespace ChatPlatform.Contracts.DataPlane;

/// <summary>The addressee of a message as the sender named it: a user, a connection, a room, or everyone.</summary>
public readonly record struct MessageTarget(TargetKind Kind, string Value)
{
    public static MessageTarget User(string userId) => new(TargetKind.User, userId);

    public static MessageTarget Connection(string connectionId) => new(TargetKind.Connection, connectionId);

    public static MessageTarget Room(string room) => new(TargetKind.Room, room);

    public static MessageTarget Everyone { get; } = new(TargetKind.Everyone, "");
}
