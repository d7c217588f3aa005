namespace ChatPlatform.Protocol;

/// <summary>The <c>type</c> of every frame of wire protocol version 1 (docs/protocol.md).</summary>
public static class FrameTypes
{
    /// <summary>Client to server: a message to a user, a connection, a room or everyone.</summary>
    public const string Send = "send";

    /// <summary>Client to server: join a room.</summary>
    public const string Join = "join";

    /// <summary>Client to server: leave a room.</summary>
    public const string Leave = "leave";

    /// <summary>Both ways: who is in a room or whether a user is online, and its answer.</summary>
    public const string Presence = "presence";

    /// <summary>Both ways: read a stream's stored messages, and its answer.</summary>
    public const string History = "history";

    /// <summary>Server to client: a resume ended; what was restored and whether it is complete.</summary>
    public const string Recovered = "recovered";

    /// <summary>Server to client: the first frame, with the connection's id and its session.</summary>
    public const string Welcome = "welcome";

    /// <summary>Server to client: a send was routed, or a join or leave took effect.</summary>
    public const string Ack = "ack";

    /// <summary>Server to client: a message for this connection.</summary>
    public const string Message = "message";

    /// <summary>Server to client: a user's first connection joined a room this connection is in.</summary>
    public const string Joined = "joined";

    /// <summary>Server to client: a user's last connection left a room this connection is in.</summary>
    public const string Left = "left";

    /// <summary>Server to client: a frame was refused or failed; see <see cref="ErrorCodes"/>.</summary>
    public const string Error = "error";
}
