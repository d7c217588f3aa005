using ChatPlatform.Contracts.DataPlane;

namespace ChatPlatform.Gateway.DataPlane;

/// <summary>
/// Carries out a backend's moderation on this gateway's own connections of its target, as the
/// gateway channel receives it. Returns at once: a removal from a room completes in the background.
/// </summary>
internal interface IModerationHandler
{
    void Apply(ModerationCommand command);
}
