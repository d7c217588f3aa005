namespace ChatPlatform.ServiceDefaults;

/// <summary>Tags that put a health check behind <c>/healthz</c> (live) or <c>/readyz</c> (ready).</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
