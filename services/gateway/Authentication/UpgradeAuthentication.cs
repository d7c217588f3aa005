namespace ChatPlatform.Gateway.Authentication;

/// <summary>The verdict on an upgrade request.</summary>
/// <param name="Reason">Why it was refused, for the log only: the client learns no more than the status.</param>
/// <param name="ClientMessage">What the client is told; for a 401 never more than "unauthorized".</param>
internal sealed record UpgradeAuthentication(UpgradeIdentity? Identity, int Status, string Reason, string ClientMessage)
{
    public static UpgradeAuthentication Accepted(UpgradeIdentity identity) => new(identity, StatusCodes.Status101SwitchingProtocols, "", "");

    public static UpgradeAuthentication Refused(int status, string reason, string clientMessage = "unauthorized") => new(null, status, reason, clientMessage);
}
