namespace ChatPlatform.Client;

/// <summary>Whom a message goes to: a user, a connection, a room, or everyone.</summary>
public sealed record ChatTarget
{
    private ChatTarget(ChatTargetKind kind, string? value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>Everyone connected, but the sending connection.</summary>
    public static ChatTarget Everyone { get; } = new(ChatTargetKind.Everyone, null);

    /// <summary>The kind of recipient.</summary>
    public ChatTargetKind Kind { get; }

    /// <summary>The user name, connection id or room name; <see langword="null"/> for everyone.</summary>
    public string? Value { get; }

    /// <summary>Every connection of <paramref name="user"/>, on any gateway.</summary>
    public static ChatTarget User(string user) => new(ChatTargetKind.User, NotEmpty(user, nameof(user)));

    /// <summary>The one connection with id <paramref name="connectionId"/>.</summary>
    public static ChatTarget Connection(string connectionId) => new(ChatTargetKind.Connection, NotEmpty(connectionId, nameof(connectionId)));

    /// <summary>Every member connection of <paramref name="room"/> but the sending one, which must be a member.</summary>
    public static ChatTarget Room(string room) => new(ChatTargetKind.Room, NotEmpty(room, nameof(room)));

    /// <summary>For example <c>user:bob</c>, <c>room:lobby</c> or <c>everyone</c>.</summary>
    public override string ToString() => Kind == ChatTargetKind.Everyone ? "everyone" : $"{Kind.ToString().ToLowerInvariant()}:{Value}";

    private static string NotEmpty(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }
}
