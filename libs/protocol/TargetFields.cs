namespace ChatPlatform.Protocol;

/// <summary>
/// The fields of a frame's <c>to</c> object, exactly one per target: <c>{"user":"bob"}</c>,
/// <c>{"connection":"9f2c4e1a7b3d5f60"}</c>, <c>{"room":"lobby"}</c> or <c>{"everyone":true}</c>.
/// A <c>send</c> names its target this way, and the <c>message</c> frames it becomes repeat it.
/// </summary>
public static class TargetFields
{
    /// <summary>The <c>to</c> field itself.</summary>
    public const string To = "to";

    /// <summary>Every connection of a user, on any gateway.</summary>
    public const string User = "user";

    /// <summary>One connection.</summary>
    public const string Connection = "connection";

    /// <summary>Every member connection of a room but the sending one.</summary>
    public const string Room = "room";

    /// <summary>Every connection but the sending one; its value is <c>true</c>.</summary>
    public const string Everyone = "everyone";
}
