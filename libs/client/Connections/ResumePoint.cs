namespace ChatPlatform.Client.Connections;

/// <summary>What a reconnect resumes (docs/protocol.md, "Resuming a connection").</summary>
/// <param name="Session">The <c>session</c> of the last connection's welcome.</param>
/// <param name="Since">Where the client is in each stream, the most useful first: the address keeps as many as fit.</param>
internal sealed record ResumePoint(string Session, IReadOnlyList<StreamPosition> Since);
