namespace ChatPlatform.ServiceDefaults;

/// <summary>Which service this process is, and which run of it.</summary>
/// <param name="InstanceId">Unique per process start; used in Redis client names and telemetry.</param>
public sealed record ServiceIdentity(string ServiceName, string InstanceId);
