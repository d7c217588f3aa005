namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// A user's first connection joined a room, or their last one left it. Presence's scripts
/// publish it in the same atomic step as the membership change, once on the channel of each
/// gateway holding other members; the gateway passes it to its local members of the room.
/// </summary>
/// <param name="ExcludeConnection">The member connection the event is about, which does not get it; empty for none.</param>
public sealed record MembershipEvent(
    MembershipEventKind Kind,
    string Room,
    string UserId,
    string ExcludeConnection);
