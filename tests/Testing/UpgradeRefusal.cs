using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;

namespace ChatPlatform.Testing;

/// <summary>A WebSocket upgrade the server is expected to refuse, and what the refusal says.</summary>
public static class UpgradeRefusal
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly HttpClient Http = new() { Timeout = Timeout };

    /// <summary>
    /// Connects the way a WebSocket client does and returns the HTTP status of the refusal;
    /// fails if the upgrade succeeds.
    /// </summary>
    public static async Task<HttpStatusCode> StatusAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(uri, cancellation.Token);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        socket.Abort();
        throw new InvalidOperationException($"The upgrade to {uri} was accepted.");
    }

    /// <summary>
    /// Sends an upgrade request as plain HTTP, so the whole refusal can be read: its status,
    /// headers and body. Fails if the upgrade succeeds.
    /// </summary>
    public static async Task<(HttpStatusCode Status, HttpResponseHeaders Headers, string Body)> ResponseAsync(Uri uri, IReadOnlyDictionary<string, string>? headers = null)
    {
        var address = new UriBuilder(uri) { Scheme = uri.Scheme == "wss" ? "https" : "http" }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, address) { Version = HttpVersion.Version11 };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
        {
            throw new InvalidOperationException($"The upgrade to {uri} was accepted.");
        }

        using var cancellation = new CancellationTokenSource(Timeout);
        return (response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync(cancellation.Token));
    }
}
