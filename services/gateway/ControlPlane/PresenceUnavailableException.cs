namespace ChatPlatform.Gateway.ControlPlane;

internal sealed class PresenceUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
