using System.Collections.Concurrent;
using ChatPlatform.Contracts.Gateways;
using ChatPlatform.Gateway.Connections;
using ChatPlatform.Gateway.ControlPlane;

namespace ChatPlatform.Gateway.Tests.Support;

/// <summary>
/// Presence as the gateway sees it: records each call, and answers joins and leaves the way a
/// test sets up (confirm, refuse, fail, or wait for the test).
/// </summary>
internal sealed class RecordingPresenceClient : IPresenceClient
{
    public ConcurrentQueue<(string Operation, string ConnectionId, string? Room)> Calls { get; } = new();

    /// <summary>Answers a join; confirms by default.</summary>
    public Func<ClientConnection, string, Task<bool>> OnJoin { get; set; } = (_, _) => Task.FromResult(true);

    /// <summary>Answers a leave; confirms by default.</summary>
    public Func<ClientConnection, string, Task> OnLeave { get; set; } = (_, _) => Task.CompletedTask;

    public IEnumerable<(string Operation, string ConnectionId, string? Room)> Of(string operation) =>
        Calls.Where(call => call.Operation == operation);

    public Task RegisterAsync(ClientConnection connection, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("register", connection.Id, null));
        return Task.CompletedTask;
    }

    public void ReportClosed(ClientConnection connection) => Calls.Enqueue(("closed", connection.Id, null));

    public int QueuedCloseReports => 0;

    public Task<HeartbeatRecorded?> RecordHeartbeatAsync(int connections, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("heartbeat", "", null));
        return Task.FromResult<HeartbeatRecorded?>(new HeartbeatRecorded(true, connections));
    }

    public Task<GatewayConnectionsSynced> SyncAsync(long upToSequence, IReadOnlyList<GatewayConnection> connections, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("sync", "", null));
        return Task.FromResult(new GatewayConnectionsSynced(true, 0, 0));
    }

    public Task ReportStoppedAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue(("stopped", "", null));
        return Task.CompletedTask;
    }

    public Task<bool> JoinAsync(ClientConnection connection, string room, long sequence, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("join", connection.Id, room));
        return OnJoin(connection, room);
    }

    public Task LeaveAsync(ClientConnection connection, string room, long sequence, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("leave", connection.Id, room));
        return OnLeave(connection, room);
    }
}
