namespace ChatPlatform.Contracts.DataPlane;

/// <summary>Where a stored message is: its stream (<see cref="HistoryStreams"/>), that stream's epoch, and its offset there.</summary>
/// <param name="Epoch">Names the stream's current life; a stream that was lost starts again with a new epoch.</param>
/// <param name="Offset">1 for the stream's first message in its epoch, then one more for each.</param>
public readonly record struct HistoryPosition(string Stream, string Epoch, long Offset);
