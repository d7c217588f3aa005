namespace ChatPlatform.Contracts.DataPlane;

/// <summary>The addressee of a message as the sender named it: a user name or a connection id.</summary>
public readonly record struct MessageTarget(TargetKind Kind, string Value)
{
    public static MessageTarget User(string userId) => new(TargetKind.User, userId);

    public static MessageTarget Connection(string connectionId) => new(TargetKind.Connection, connectionId);
}
