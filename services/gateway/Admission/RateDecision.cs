namespace ChatPlatform.Gateway.Admission;

internal enum RateDecision
{
    Allow,

    /// <summary>Over the limit: answer <c>rate_limited</c> and drop the frame.</summary>
    Refuse,

    /// <summary>Over the limit for too long: close the connection with 1008.</summary>
    Close,
}
