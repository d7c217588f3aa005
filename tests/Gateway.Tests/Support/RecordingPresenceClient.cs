using System.Collections.Concurrent;
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

    public Task<bool> JoinAsync(ClientConnection connection, string room, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("join", connection.Id, room));
        return OnJoin(connection, room);
    }

    public Task LeaveAsync(ClientConnection connection, string room, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("leave", connection.Id, room));
        return OnLeave(connection, room);
    }
}
