namespace ChatPlatform.Gateway.History;

/// <summary>
/// What a resuming connection takes over from the session it resumes: the old connection (whose
/// own room messages are not sent back), its rooms, and where to start in each stream.
/// </summary>
internal sealed record ResumePlan(string OldConnectionId, IReadOnlyList<string> Rooms, IReadOnlyDictionary<string, StreamStart> Starts);
