using System.Collections.Concurrent;
using ChatPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>
/// A stand-in gateway on a loopback port that welcomes each connection and then does what the
/// test says: stay silent, answer out of order, close with a given code, refuse a token. The
/// real gateway always answers, so timeouts and refusals are tested here.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    public FakeGateway(Func<FakeConnection, Task> behaviour)
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/ws", async context =>
        {
            var number = Interlocked.Increment(ref _connections);
            var authorization = context.Request.Headers.Authorization.ToString();
            Authorizations.Enqueue(authorization);
            Queries.Enqueue(QueryHelpers.ParseQuery(context.Request.QueryString.Value));
            if (Refuse?.Invoke(number, authorization) is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new FakeConnection(socket, context, number);
            var user = context.Request.Query["user"].ToString();
            await connection.SendAsync(IssueSessions
                ? new { type = "welcome", connection = $"{number:x16}", user, gateway = "fake", session = SessionOf(number) }
                : (object)new { type = "welcome", connection = $"{number:x16}", user, gateway = "fake" });
            await behaviour(connection);
        });
    }

    public int Port { get; }

    public Uri Url => new($"ws://127.0.0.1:{Port}/ws");

    /// <summary>The Authorization header of every connection attempt, in order.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>The query of every connection attempt, in order.</summary>
    public ConcurrentQueue<Dictionary<string, StringValues>> Queries { get; } = new();

    /// <summary>
    /// Whether welcomes carry a <c>session</c> (<see cref="SessionOf"/>), as a gateway that can
    /// resume connections does; without one, the client does not ask to resume.
    /// </summary>
    public bool IssueSessions { get; set; }

    /// <summary>An HTTP status to refuse attempt n (from 1) with, given its Authorization header; null accepts it.</summary>
    public Func<int, string, int?>? Refuse { get; set; }

    /// <summary>The session the welcome of connection <paramref name="number"/> gives, when <see cref="IssueSessions"/> is set.</summary>
    public static string SessionOf(int number) => $"{number:x16}.secret+/={number}";

    public static async Task<FakeGateway> StartAsync(Func<FakeConnection, Task> behaviour)
    {
        var gateway = new FakeGateway(behaviour);
        await gateway._app.StartAsync();
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
