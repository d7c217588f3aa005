using System.Collections.Concurrent;
using ChatPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

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
            if (Refuse?.Invoke(number, authorization) is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new FakeConnection(socket, context, number);
            await connection.SendAsync(new { type = "welcome", connection = $"{number:x16}", user = context.Request.Query["user"].ToString(), gateway = "fake" });
            await behaviour(connection);
        });
    }

    public int Port { get; }

    public Uri Url => new($"ws://127.0.0.1:{Port}/ws");

    /// <summary>The Authorization header of every connection attempt, in order.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>An HTTP status to refuse attempt n (from 1) with, given its Authorization header; null accepts it.</summary>
    public Func<int, string, int?>? Refuse { get; set; }

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
