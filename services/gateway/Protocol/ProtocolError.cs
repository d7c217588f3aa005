namespace ChatPlatform.Gateway.Protocol;

/// <summary>Why a frame was refused; becomes an <c>error</c> frame.</summary>
/// <param name="RequestId">The frame's <c>id</c> if it could be read, so the client can match the error.</param>
internal sealed record ProtocolError(byte[]? RequestId, string Code, string Message);
