using ChatPlatform.Gateway.History;

namespace ChatPlatform.Gateway.Sessions;

/// <summary>A connection opened to resume a session: what it takes over, or null when the session could not be resumed.</summary>
internal sealed record Resumption(ResumePlan? Plan);
