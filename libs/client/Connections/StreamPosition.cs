namespace ChatPlatform.Client.Connections;

/// <summary>The offset of the last message a client got on a stream: a <c>since</c> of a resume.</summary>
internal readonly record struct StreamPosition(string Stream, long Offset);
