using System.Collections.Concurrent;
using ChatPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ChatPlatform.Client.Tests.Support;

/// <summary>
/// A stand-in for the gateways' server API (docs/api.md) on a loopback port: it records every
/// request as it came and answers what the test says, so the client's requests and its reading
/// of every answer, errors included, are checked without a cluster.
/// </summary>
public sealed class FakeApi : IAsyncDisposable
{
    public const string Key = "a-test-api-key-of-at-least-32-characters";

    private readonly WebApplication _app;

    private FakeApi(Func<FakeApiRequest, FakeApiAnswer> answer)
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var request = new FakeApiRequest(
                context.Request.Method,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers.TryGetValue("Idempotency-Key", out var key) ? key.ToString() : null,
                context.Request.ContentType,
                await reader.ReadToEndAsync());
            Requests.Enqueue(request);
            var reply = answer(request);
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (reply.Body.Length > 0)
            {
                context.Response.ContentType = reply.ContentType;
                await context.Response.WriteAsync(reply.Body);
            }
        });
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Every request so far, in order.</summary>
    public ConcurrentQueue<FakeApiRequest> Requests { get; } = new();

    /// <summary>Starts an API that answers every request with what <paramref name="answer"/> returns for it.</summary>
    public static async Task<FakeApi> StartAsync(Func<FakeApiRequest, FakeApiAnswer> answer)
    {
        var api = new FakeApi(answer);
        await api._app.StartAsync();
        return api;
    }

    /// <summary>An API that answers every request with <paramref name="answer"/>.</summary>
    public static Task<FakeApi> StartAsync(FakeApiAnswer answer) => StartAsync(_ => answer);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
