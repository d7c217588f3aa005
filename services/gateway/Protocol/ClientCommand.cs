namespace ChatPlatform.Gateway.Protocol;

/// <summary>A well-formed frame from a client.</summary>
/// <param name="RequestId">The client's <c>id</c> exactly as it appeared (raw JSON), to echo back; null when absent.</param>
internal abstract record ClientCommand(byte[]? RequestId);
