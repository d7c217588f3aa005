namespace ChatPlatform.Gateway.Connections;

/// <param name="Frame">For <see cref="FrameKind.Text"/>: the message, valid until the next read.</param>
internal readonly record struct FrameReadResult(FrameKind Kind, ReadOnlyMemory<byte> Frame);
