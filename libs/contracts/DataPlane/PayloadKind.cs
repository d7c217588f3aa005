namespace ChatPlatform.Contracts.DataPlane;

/// <summary>First byte of every data-plane payload on Redis.</summary>
public enum PayloadKind : byte
{
    Inbound = 1,
    Delivery = 2,
    Outcome = 3,

    /// <summary>A presence question, on an inbound shard.</summary>
    PresenceQuery = 4,

    /// <summary>A router's answer to a presence question, on the asker's gateway channel.</summary>
    PresenceAnswer = 5,

    /// <summary>A user joined or left a room, on the channel of each gateway holding members; written by presence's scripts (<see cref="DataPlaneCodec.MembershipLuaEncoder"/>).</summary>
    Membership = 6,

    /// <summary>A backend's disconnect or removal from a room: on an inbound shard, then on each gateway holding the target.</summary>
    Moderation = 7,
}
