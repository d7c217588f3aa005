using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// A router's answer, or the lack of one, for a server API call: exactly one of
/// <see cref="Outcome"/> (routed), <see cref="Presence"/> (answered) or <see cref="ErrorCode"/> (refused or failed).
/// </summary>
/// <param name="MayHaveTakenEffect">For an error: no answer came in time, so the message may have been delivered after all.</param>
internal sealed record RouterReply(
    SendOutcome? Outcome,
    PresenceAnswer? Presence,
    string? ErrorCode,
    string? ErrorMessage,
    bool MayHaveTakenEffect = false);
