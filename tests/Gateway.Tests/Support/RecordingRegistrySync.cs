using System.Collections.Concurrent;
using ChatPlatform.Gateway.ControlPlane;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>Records why a full report to presence was asked for.</summary>
internal sealed class RecordingRegistrySync : IRegistrySync
{
    private readonly ConcurrentQueue<string> _reasons = new();

    public IReadOnlyCollection<string> Reasons => _reasons;

    public void RequestSync(string reason) => _reasons.Enqueue(reason);
}
