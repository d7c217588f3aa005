namespace ChatPlatform.Client;

/// <summary>The kinds of recipient a message can be sent to.</summary>
public enum ChatTargetKind
{
    /// <summary>Every connection of a user, on any gateway.</summary>
    User,

    /// <summary>One connection.</summary>
    Connection,

    /// <summary>Every member connection of a room but the sending one.</summary>
    Room,

    /// <summary>Every connection but the sending one.</summary>
    Everyone,
}
