namespace ChatPlatform.Client.Events;

/// <summary>The client waits <see cref="Delay"/>, then tries to connect to <see cref="Url"/>.</summary>
/// <param name="Attempt">1 for the first attempt after the connection was lost.</param>
/// <param name="Delay">The backoff before this attempt (exponential, with full jitter).</param>
/// <param name="Url">The gateway this attempt goes to.</param>
/// <param name="LastError">Why the previous attempt failed; <see langword="null"/> for the first.</param>
public sealed record Reconnecting(int Attempt, TimeSpan Delay, Uri Url, string? LastError) : ChatEvent;
